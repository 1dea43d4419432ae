// SPDX-License-Identifier: Apache-2.0
// `expect` lines: a decision the build checks on the compiled program.
//
//   expect [ABI] SYSCALL[(ARG, ...)] -> ACTION
//
// ABI is x86_64 (the default), x32 or i386: the syscall is looked up by name
// in that ABI's table and run with that ABI's arch / x32 bit. SYSCALL is a
// name (aliases such as newfstat accepted) or SYSCALL[n]. Up to six ARGs,
// missing ones are 0; an ARG is a number (decimal, hex, octal, binary, or
// negative decimal, which wraps to 64 bits), a #define'd constant of the
// policy, and may combine these with `|` and `<<`, e.g.
// `ioctl(1, TIOCSTI | 1 << 32)`. ACTION is any Kafel action; KILL and
// KILL_THREAD are the same decision.
#pragma once

#include <optional>
#include <string>

#include "bpf.h"
#include "diag/diagnostics.h"
#include "resolve.h"

namespace stockade::seccomp {

struct ExpectCase {
  Abi abi = Abi::X86_64;
  std::string syscall;          // as written
  SeccompData data;             // what the filter will see
  Action action = 0;            // the expected decision
  uint32_t syscall_column = 0;  // 0-based offset of the syscall in the text
};

// Parses `text` (the part after `expect`); `where` is the text's first byte.
std::optional<ExpectCase> parse_expect(const std::string& text, const diag::Location& where, const Constants& constants,
                                       diag::Sink& sink);

// Runs the case on `program`; reports a mismatch to `sink`. An empty program
// means no filter: everything is allowed.
bool check_expect(const Program& program, const ExpectCase& c, const diag::Location& where, diag::Sink& sink);

}  // namespace stockade::seccomp
