// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the seccomp tests: compile Kafel text the way
// compile_policy does (one fragment from "test.policy" at line 1, column 1)
// and run decisions on the interpreter and on the real kernel.
#pragma once

#include <string>
#include <vector>

#include "bpf.h"
#include "codegen.h"
#include "resolve.h"

namespace stockade::seccomp::test {

struct Compiled {
  bool ok = false;
  Program program;
  RuleSet rules;
  Constants constants;
  std::string diagnostics;  // rendered, with excerpts
};

Compiled compile_text(const std::string& text, CodegenOptions options = {},
                      const std::vector<std::string>& include_dirs = {});

// The decision of `program` for an `expect`-syntax case, e.g.
// "ioctl(1, 0x5412)" or "x32 read": returns the action, or throws on a bad case.
uint32_t decide(const Program& program, const std::string& call, const Constants& constants = {});

SeccompData call_data(const std::string& call, const Constants& constants = {});

// What a process can observe of a decision.
enum class Outcome { Allowed, Killed, Errno };
struct Observed {
  Outcome outcome = Outcome::Allowed;
  int err = 0;
  bool operator==(const Observed&) const = default;
};
std::string to_string(const Observed& o);
// The observation the kernel would produce for an action, for a syscall that
// never fails with an errno above 199 by itself.
Observed expected_observation(uint32_t action);

// How a syscall is issued in the child.
enum class Via { Native, X32Bit, Int80 };
// Installs `program` in a forked child, issues one syscall, and reports what
// happened. Needs no privilege (sets no_new_privs).
Observed run_in_kernel(const Program& program, Via via, uint32_t nr, const uint64_t args[6]);
// True when `int 0x80` reaches the kernel's i386 entry (IA32 emulation on).
bool int80_available();

}  // namespace stockade::seccomp::test
