// SPDX-License-Identifier: Apache-2.0
// An OCI profile's entries handed to libseccomp as a container runtime
// (runc, crun) does, and the BPF it builds: a check that libseccomp takes
// every entry stockadec writes and decides with them as Stockade does.
// Compiled apart from the compiler's headers (one of them is also called
// seccomp.h), so the interface is plain data.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace stockade::seccomp::test {

struct LsArg {
  unsigned index;
  uint64_t mask, value;  // (arg & mask) == value; a full mask is SCMP_CMP_EQ
};
struct LsEntry {
  uint32_t nr;
  uint32_t action;  // a seccomp return value (libseccomp's SCMP_ACT_* are the same)
  std::vector<LsArg> args;
};

// The program as {code, jt, jf, k}; false with `error` when libseccomp
// refuses an entry or the export.
// optimize: SCMP_FLTATR_CTL_OPTIMIZE (1 = libseccomp's default, 2 = binary tree).
bool libseccomp_program(uint32_t default_action, const std::vector<LsEntry>& entries,
                        std::vector<std::array<uint32_t, 4>>& out, std::string& error, int optimize = 1);

}  // namespace stockade::seccomp::test
