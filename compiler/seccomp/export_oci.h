// SPDX-License-Identifier: Apache-2.0
// `stockadec bpf --oci …`: a policy's seccomp rules as an OCI / Docker
// seccomp profile (the JSON of runc's `linux.seccomp`, Docker's
// `--security-opt seccomp=FILE`, Kubernetes' Localhost profiles).
//
// The profile decides exactly as Stockade's rules do on x86-64. OCI entries
// have no order and AND their argument comparisons, and libseccomp (which
// runtimes build the filter with) takes one comparison per argument in an
// entry; Kafel's rules are ordered, first match wins. So each syscall's
// rules become disjoint regions (rule i matches and no earlier rule does),
// each a union of terms; in a term, every argument compared without a mask
// is a set of value intervals (int-sized arguments over their low 32 bits,
// as the kernel's width and Kafel's rule want), and one compared under a
// mask is a masked equality. A term becomes entries by cutting each
// interval into aligned blocks, each one masked equality ((arg & mask) ==
// value: SCMP_CMP_MASKED_EQ, or SCMP_CMP_EQ under a full mask): `!= 0` on
// an int is 32 entries, `personality ∉ {0, 0xffffffff}` 62. Nothing OCI
// cannot hold is approximated; the export fails with a file:line:col error
// at the rule instead: a comparison of two arguments or a general `&`/`|`
// tree, `TRAP(n)` with n > 0 (OCI carries no trap data), an opted-in
// foreign ABI (`ABI x32`/`ABI i386`), or a syscall that needs more than
// kMaxEntriesPerSyscall entries.
//
// What the profile leaves to the runtime: the architecture check (the
// profile lists SCMP_ARCH_X86_64 only; libseccomp kills other ABIs and x32
// numbers with its bad-arch action, where Stockade's own program answers
// them KILL_PROCESS).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "rules.h"

namespace stockade::seccomp {

constexpr size_t kMaxEntriesPerSyscall = 256;

// (args[index] & mask) == value, value within mask.
struct OciArg {
  uint32_t index = 0;
  uint64_t mask = ~uint64_t{0};
  uint64_t value = 0;
};

struct OciEntry {
  std::vector<std::string> names;  // syscalls, by their kernel names
  Action action = kAllow;
  std::vector<OciArg> args;  // all must hold; empty: always
};

struct OciProfile {
  Action default_action = kKillThread;
  std::vector<OciEntry> entries;  // disjoint: at most one matches a call
};

// Builds the profile; errors go to `sink` at the rule. False on error.
bool oci_profile(const RuleSet& rules, OciProfile& out, diag::Sink& sink);

// The profile as OCI JSON (defaultAction, architectures, syscalls[]).
std::string oci_json(const OciProfile& profile);

// The decision the profile gives a call (x86-64), for tests: the action of
// the entry that matches, else the default.
Action oci_decide(const OciProfile& profile, const std::string& syscall, const uint64_t args[6]);

}  // namespace stockade::seccomp
