// SPDX-License-Identifier: Apache-2.0
// The whole filter: architecture check, then (x86-64) the x32 check, then
// the dispatch of each ABI. A syscall from a foreign ABI (i386 via int 0x80,
// x32 via the x32 bit) is killed with KILL_PROCESS whatever the policy's
// DEFAULT is, unless the policy opts that ABI in with `ABI i386` / `ABI x32`:
// then it is decided by the same rules, looked up by syscall name in that
// ABI's table.
#pragma once

#include <string>

#include "bpf.h"
#include "rules.h"

namespace stockade::seccomp {

struct CodegenOptions {
  bool optimise = true;
  Abi native = Abi::X86_64;  // or Aarch64
};

// Returns false and sets `error` when a kernel limit would be exceeded.
bool generate(const RuleSet& set, const CodegenOptions& options, Program& out, std::string& error);

}  // namespace stockade::seccomp
