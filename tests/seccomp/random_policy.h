// SPDX-License-Identifier: Apache-2.0
// Random Kafel policies and the syscall cases that probe them: every
// constant in the policy, one either side, each 32-bit half alone, and with
// a garbage high half (gVisor's way of deriving test vectors from rules).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bpf.h"
#include "rules.h"

namespace stockade::seccomp::test {

struct PoolSyscall {
  const char* name;
  uint32_t nr;                    // x86-64
  std::vector<const char*> args;  // names usable in conditions
  bool declare = false;           // write `name(a, b, ...)` before the condition
};

// Syscalls whose arguments the kernel ignores or only reads: safe to run
// with any argument values in a test child.
const std::vector<PoolSyscall>& harmless_pool();
// A wider pool with 32- and 64-bit builtin argument names, for the interpreter only.
const std::vector<PoolSyscall>& interpreter_pool();

struct RandomPolicy {
  std::string text;
  std::vector<uint64_t> constants;
  bool pairs = true;  // conditions may compare two arguments (OCI cannot hold those)
};

// `actions` picks from the given actions (e.g. no TRAP for kernel runs).
RandomPolicy random_policy(std::mt19937_64& rng, const std::vector<PoolSyscall>& pool,
                           const std::vector<Action>& actions);

// Every x86-64 syscall with known argument names (syscall_args.h), for
// large random policies (interpreter only).
const std::vector<PoolSyscall>& full_pool();

// A large random policy: `syscalls` distinct syscalls of full_pool(), each
// given 1..`max_filters` filters (conditions over its own argument names,
// up to depth 2, or none) spread over 3..8 action blocks, then a DEFAULT.
// The filters of one syscall land in blocks in text order, so a syscall can
// have several rules of different actions, first match winning.
RandomPolicy large_random_policy(std::mt19937_64& rng, size_t syscalls, size_t max_filters, bool pairs = true);

// Argument values worth trying for a policy.
std::vector<uint64_t> boundary_values(const std::vector<uint64_t>& constants);

// Up to `count` seccomp_data cases over `pool` built from `values`.
std::vector<SeccompData> probe_cases(std::mt19937_64& rng, const std::vector<PoolSyscall>& pool,
                                     const std::vector<uint64_t>& values, size_t count);

// The decision the resolved rules mean, evaluated directly (no BPF): the
// oracle both compiled forms are checked against.
Action reference_decision(const RuleSet& set, const SeccompData& d);

}  // namespace stockade::seccomp::test
