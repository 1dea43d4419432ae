// SPDX-License-Identifier: Apache-2.0
// The Kafel syntax tree, exactly as written: the bison actions in
// grammar/kafel.y build these nodes and do nothing else. Names are not looked
// up here; resolve.cc does that.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace stockade::seccomp::ast {

// A position already mapped to the .policy file (see kafel_parse.h).
struct Loc {
  uint32_t line = 1;
  uint32_t column = 1;
  uint32_t end_line = 1;
  uint32_t end_column = 2;  // one past the last byte
  uint32_t file = 0;        // 0: the unit's file; n: Unit::included[n - 1]
  uint32_t length() const { return end_line == line && end_column > column ? end_column - column : 1; }
};

// Operands and masks: `42`, `FLAG`, `fd`, `flags & MASK`, `A|B`.
struct Value {
  enum class Kind { Number, Ident, BitAnd, BitOr };
  Kind kind = Kind::Number;
  uint64_t number = 0;
  std::string ident;
  std::shared_ptr<Value> left, right;
  Loc loc;
  uint32_t depth = 0;  // operators above the deepest leaf (see kMaxExprDepth)
};
using ValuePtr = std::shared_ptr<Value>;

// Kafel refuses an expression whose tree is deeper than this (operators of
// conditions and of values counted alike; parentheses do not count). The
// bound also keeps every recursive pass over a condition shallow.
constexpr uint32_t kMaxExprDepth = 200;

enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge };

// The comparison with its operands swapped: `k op x` is `x mirror(op) k`.
constexpr CmpOp mirror(CmpOp op) {
  switch (op) {
    case CmpOp::Lt: return CmpOp::Gt;
    case CmpOp::Le: return CmpOp::Ge;
    case CmpOp::Gt: return CmpOp::Lt;
    case CmpOp::Ge: return CmpOp::Le;
    case CmpOp::Eq:
    case CmpOp::Ne: return op;
  }
  return op;
}

struct Bool {
  enum class Kind { And, Or, Not, Cmp };
  Kind kind = Kind::Cmp;
  std::shared_ptr<Bool> left, right;  // And/Or: both; Not: left
  CmpOp op = CmpOp::Eq;
  ValuePtr lhs, rhs;  // Cmp
  Loc loc;
  uint32_t depth = 0;
};
using BoolPtr = std::shared_ptr<Bool>;

struct ArgDecl {
  std::string name;
  Loc loc;
};

struct SyscallRef {
  bool by_number = false;  // SYSCALL[n]
  ValuePtr number;         // by_number
  std::string name;        // otherwise: a syscall name or a #define'd number
  bool declares_args = false;
  std::vector<ArgDecl> args;
  Loc loc;
};

struct Filter {
  SyscallRef syscall;
  BoolPtr condition;  // null: always
};

struct Action {
  enum class Kind { Allow, Log, Kill, KillThread, Deny, KillProcess, UserNotif, Errno, Trap, Trace };
  Kind kind = Kind::Kill;
  ValuePtr value;  // Errno, Trap, Trace
  Loc loc;
};

// One element of a policy body: `USE name` or `ACTION { filters }`.
struct Entry {
  bool is_use = false;
  std::string use_name;
  Action action;
  std::vector<Filter> filters;
  Loc loc;
};

struct Policy {
  std::string name;
  std::vector<Entry> entries;
  Loc loc;  // of the name
};

// A top-level statement of one fragment.
struct Statement {
  enum class Kind { Define, Policy, Entry, Default, Abi };
  Kind kind = Kind::Entry;
  std::string name;  // Define: constant; Abi: ABI name
  ValuePtr value;    // Define
  Policy policy;
  Entry entry;
  Action action;  // Default
  Loc loc;
};

struct Unit {
  std::string file;                   // the .policy file the fragment came from
  std::vector<std::string> included;  // files `#include`d into it, as found
  std::vector<Statement> statements;
  const std::string& file_of(const Loc& at) const { return at.file == 0 ? file : included[at.file - 1]; }
};

}  // namespace stockade::seccomp::ast
