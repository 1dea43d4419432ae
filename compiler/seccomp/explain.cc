// SPDX-License-Identifier: Apache-2.0
#include "explain.h"

#include <cstdio>

namespace stockade::seccomp {
namespace {

std::string number(uint64_t v) {
  if (v < 4096) return std::to_string(v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string operand(const Operand& o) {
  if (!o.is_arg) return number(o.value);
  if (o.expr) return bit_text(*o.expr, number);
  std::string name = o.name.empty() ? "args[" + std::to_string(o.arg) + "]" : o.name;
  if (o.mask == ~uint64_t{0}) return name;
  return "(" + name + " & " + number(o.mask) + ")";
}

const char* op_text(ast::CmpOp op) {
  switch (op) {
    case ast::CmpOp::Eq: return "==";
    case ast::CmpOp::Ne: return "!=";
    case ast::CmpOp::Lt: return "<";
    case ast::CmpOp::Le: return "<=";
    case ast::CmpOp::Gt: return ">";
    case ast::CmpOp::Ge: return ">=";
  }
  return "?";
}

}  // namespace

std::string cond_text(const Cond& c) {
  switch (c.kind) {
    case Cond::Kind::True: return "true";
    case Cond::Kind::False: return "false";
    // Built by appending: GCC 12 -O3 -Wrestrict misfires on "lit" + string.
    case Cond::Kind::Not: return std::string("!(").append(cond_text(*c.left)).append(")");
    case Cond::Kind::And:
      return std::string("(").append(cond_text(*c.left)).append(" && ").append(cond_text(*c.right)).append(")");
    case Cond::Kind::Or:
      return std::string("(").append(cond_text(*c.left)).append(" || ").append(cond_text(*c.right)).append(")");
    case Cond::Kind::Cmp: return operand(c.lhs) + " " + op_text(c.op) + " " + operand(c.rhs);
  }
  return "?";
}

std::string explain(const RuleSet& set, Abi native) {
  std::string out = "seccomp (" + std::string(abi_info(native).name) + "), first matching rule wins:\n";
  for (const Rule& r : set.rules) {
    std::string who = r.by_number ? "syscall " + std::to_string(r.number) : r.syscall;
    out += "  " + who + " -> " + action_name(r.action);
    if (r.cond) out += " if " + cond_text(*r.cond);
    out += "\n";
  }
  out +=
      "  any other syscall -> " + action_name(set.default_action) + (set.has_default ? "\n" : " (no DEFAULT given)\n");
  if (native == Abi::X86_64) {
    out += set.foreign_abis.count(Abi::I386) ? "  i386 syscalls (int 0x80): the same rules, by name\n"
                                             : "  i386 syscalls (int 0x80) -> KILL_PROCESS\n";
    out += set.foreign_abis.count(Abi::X32) ? "  x32 syscalls: the same rules, by name\n"
                                            : "  x32 syscalls -> KILL_PROCESS\n";
  } else {
    out += "  syscalls of any other architecture -> KILL_PROCESS\n";
  }
  return out;
}

}  // namespace stockade::seccomp
