// SPDX-License-Identifier: Apache-2.0
// The resolved policy: Kafel text after constants, syscall names, argument
// names and USE have been resolved. First matching rule wins, in order.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "bit_expr.h"
#include "kafel_ast.h"
#include "syscalls.h"

namespace stockade::seccomp {

// A seccomp return value: action bits plus 16 bits of data.
using Action = uint32_t;
constexpr Action kKillThread = 0x00000000u;   // SECCOMP_RET_KILL_THREAD (Kafel KILL/DENY)
constexpr Action kKillProcess = 0x80000000u;  // SECCOMP_RET_KILL_PROCESS
constexpr Action kTrap = 0x00030000u;
constexpr Action kErrno = 0x00050000u;
constexpr Action kUserNotif = 0x7fc00000u;
constexpr Action kTrace = 0x7ff00000u;
constexpr Action kLog = 0x7ffc0000u;
constexpr Action kAllow = 0x7fff0000u;
// Kafel spelling of an action: ALLOW, ERRNO(1), KILL_PROCESS, ...
std::string action_name(Action a);

// One side of a comparison: a constant, or argument `arg` (optionally `& mask`).
struct Operand {
  bool is_arg = false;
  uint64_t value = 0;            // constant
  uint32_t arg = 0;              // argument index 0..5
  uint8_t width = 8;             // argument width in bytes (4: int-sized)
  uint64_t mask = ~uint64_t{0};  // `arg & mask`; all ones = no mask
  std::string name;              // argument name as written, for explain text
  bool wide_constant = false;    // a mask constant over 32 bits was written (Kafel: compare 64 bits)
  BitPtr expr;                   // set (with is_arg): any other `&`/`|` form; arg and mask unused
};

struct Cond;
using CondPtr = std::shared_ptr<const Cond>;
struct Cond {
  enum class Kind { True, False, And, Or, Not, Cmp };
  Kind kind = Kind::True;
  CondPtr left, right;  // And/Or; Not uses left
  ast::CmpOp op = ast::CmpOp::Eq;
  Operand lhs, rhs;
};

struct Rule {
  std::string syscall;     // canonical name; empty when by_number
  bool by_number = false;  // SYSCALL[n] or a #define'd number: native ABI only
  uint32_t number = 0;
  CondPtr cond;  // null: always
  Action action = kKillThread;
  std::string file;
  ast::Loc loc;         // of the syscall name, for explain and errors
  uint32_t origin = 0;  // which filter of the text made it (USE copies keep it)
};

struct RuleSet {
  std::vector<Rule> rules;
  bool has_default = false;
  Action default_action = kKillThread;  // Kafel: no DEFAULT means KILL
  ast::Loc default_loc;
  std::set<Abi> foreign_abis;  // `ABI x32` / `ABI i386` opt-ins
};

}  // namespace stockade::seccomp
