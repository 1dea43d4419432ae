// SPDX-License-Identifier: Apache-2.0
// An in-tree classic-BPF interpreter for seccomp programs. `verify` rejects
// what the kernel rejects when a filter is installed (bpf_check_classic plus
// seccomp's own opcode whitelist); `run` executes a verified program on one
// seccomp_data and counts the instructions it executed.
#pragma once

#include <string>

#include "bpf.h"

namespace stockade::seccomp {

// Empty when the kernel would accept the program; otherwise why not.
std::string verify(const Program& p);

struct RunResult {
  uint32_t action = 0;    // the seccomp return value
  uint32_t executed = 0;  // instructions executed
};

// Precondition: verify(p) is empty.
RunResult run(const Program& p, const SeccompData& d);

}  // namespace stockade::seccomp
