// SPDX-License-Identifier: Apache-2.0
#include "random_policy.h"

#include <algorithm>

#include "lower_cond.h"
#include "syscall_args.h"
#include "syscalls.h"

namespace stockade::seccomp::test {

const std::vector<PoolSyscall>& harmless_pool() {
  static const std::vector<PoolSyscall> pool = {
      {"getppid", 110, {"a", "b", "c", "d", "e", "f"}, true},
      {"getpgid", 121, {"pid"}},
      {"getpriority", 140, {"which", "who"}},
      {"sched_getscheduler", 145, {"pid"}},
      {"getuid", 102, {"u", "v"}, true},
  };
  return pool;
}

const std::vector<PoolSyscall>& interpreter_pool() {
  static const std::vector<PoolSyscall> pool = {
      {"read", 0, {"fd", "buf", "count"}},
      {"write", 1, {"fd", "buf", "count"}},
      {"mmap", 9, {"addr", "len", "prot", "flags", "fd", "off"}},
      {"ioctl", 16, {"fd", "cmd", "arg"}},
      {"socket", 41, {"family", "type", "protocol"}},
      {"clone", 56, {"clone_flags", "newsp", "parent_tidptr"}},
      {"getppid", 110, {"a", "b", "c", "d", "e", "f"}, true},
      {"personality", 135, {"personality"}},
      {"prctl", 157, {"option", "arg2", "arg3"}},
      {"futex", 202, {"uaddr", "op", "val"}},
  };
  return pool;
}

const std::vector<PoolSyscall>& full_pool() {
  static const std::vector<PoolSyscall> pool = [] {
    std::vector<PoolSyscall> out;
    const AbiInfo& info = abi_info(Abi::X86_64);
    for (size_t i = 0; i < info.count; ++i) {
      const std::vector<ArgSpec>* args = syscall_args(info.table[i].name);
      if (!args || args->empty()) continue;
      PoolSyscall s{info.table[i].name, info.table[i].nr, {}, false};
      for (const ArgSpec& a : *args) s.args.push_back(a.name);
      out.push_back(std::move(s));
    }
    return out;
  }();
  return pool;
}

namespace {

uint64_t pick_constant(std::mt19937_64& rng) {
  static const uint64_t kInteresting[] = {0,
                                          1,
                                          2,
                                          7,
                                          0x5412,
                                          0x7fffffff,
                                          0x80000000,
                                          0xffffffff,
                                          0x100000000,
                                          0x1ffffffff,
                                          0xffffffff00000000,
                                          ~uint64_t{0},
                                          0x8000000000000000};
  switch (rng() % 4) {
    case 0: return rng() % 64;
    case 1: return rng() & 0xffffffff;
    case 2: return rng();
    default: return kInteresting[rng() % std::size(kInteresting)];
  }
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
  return buf;
}

const char* op(std::mt19937_64& rng) {
  static const char* kOps[] = {"==", "!=", "<", "<=", ">", ">="};
  return kOps[rng() % 6];
}

std::string atom(std::mt19937_64& rng, const PoolSyscall& s, RandomPolicy& out) {
  const char* arg = s.args[rng() % s.args.size()];
  uint64_t c = pick_constant(rng);
  out.constants.push_back(c);
  switch (rng() % 5) {
    case 0: {
      uint64_t mask = pick_constant(rng);
      out.constants.push_back(mask);
      return std::string("(") + arg + " & " + hex(mask) + ") " + op(rng) + " " + hex(c);
    }
    case 1: return hex(c) + " " + op(rng) + " " + arg;
    case 2: {
      if (!out.pairs) return std::string(arg) + " " + op(rng) + " " + hex(c);
      const char* other = s.args[rng() % s.args.size()];
      return std::string(arg) + " " + op(rng) + " " + other;
    }
    default: return std::string(arg) + " " + op(rng) + " " + hex(c);
  }
}

std::string condition(std::mt19937_64& rng, const PoolSyscall& s, RandomPolicy& out, int depth) {
  if (depth == 0 || rng() % 3 == 0) return atom(rng, s, out);
  switch (rng() % 3) {
    // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
    case 0:
      return std::string("(")
          .append(condition(rng, s, out, depth - 1))
          .append(" && ")
          .append(condition(rng, s, out, depth - 1))
          .append(")");
    case 1:
      return std::string("(")
          .append(condition(rng, s, out, depth - 1))
          .append(" || ")
          .append(condition(rng, s, out, depth - 1))
          .append(")");
    default: return std::string("!(").append(condition(rng, s, out, depth - 1)).append(")");
  }
}

std::string filter(std::mt19937_64& rng, const PoolSyscall& s, RandomPolicy& out) {
  std::string f = s.name;
  if (s.declare) {
    f += "(";
    for (size_t i = 0; i < s.args.size(); ++i) f += (i ? ", " : "") + std::string(s.args[i]);
    f += ")";
  }
  if (rng() % 4 == 0) return f;  // unconditional
  f += " { " + condition(rng, s, out, 2);
  if (rng() % 3 == 0) f += ", " + condition(rng, s, out, 1);  // comma: lowest-precedence or
  return f + " }";
}

std::string action_text(Action a) { return action_name(a); }

std::string block(std::mt19937_64& rng, const std::vector<PoolSyscall>& pool, const std::vector<Action>& actions,
                  RandomPolicy& out) {
  std::string b = action_text(actions[rng() % actions.size()]) + " { ";
  size_t n = 1 + rng() % 3;
  for (size_t i = 0; i < n; ++i) b += (i ? ", " : "") + filter(rng, pool[rng() % pool.size()], out);
  return b + " }";
}

}  // namespace

RandomPolicy random_policy(std::mt19937_64& rng, const std::vector<PoolSyscall>& pool,
                           const std::vector<Action>& actions) {
  RandomPolicy out;
  out.text = "POLICY inner { " + block(rng, pool, actions, out) + " }\n";
  out.text +=
      "POLICY outer { " + block(rng, pool, actions, out) + ", USE inner, " + block(rng, pool, actions, out) + " }\n";
  out.text += "USE outer\n" + block(rng, pool, actions, out) + "\n";
  out.text += "DEFAULT " + action_text(actions[rng() % actions.size()]) + "\n";
  return out;
}

RandomPolicy large_random_policy(std::mt19937_64& rng, size_t syscalls, size_t max_filters, bool pairs) {
  static const std::vector<Action> kActions = {kAllow, kErrno | 1, kErrno | 13, kKillProcess, kLog, kTrap | 2};
  const std::vector<PoolSyscall>& pool = full_pool();
  std::vector<size_t> order(pool.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  order.resize(std::min(syscalls, order.size()));
  size_t blocks = 3 + rng() % 6;
  std::vector<std::vector<std::string>> filters(blocks);
  RandomPolicy out;
  out.pairs = pairs;
  for (size_t idx : order) {
    const PoolSyscall& s = pool[idx];
    size_t n = 1 + rng() % max_filters;
    size_t block = rng() % blocks;
    for (size_t k = 0; k < n && block < blocks; ++k) {
      filters[block].push_back(filter(rng, s, out));
      block += rng() % 2;  // later filters of this syscall come later in the text
    }
  }
  for (size_t b = 0; b < blocks; ++b) {
    if (filters[b].empty()) continue;
    out.text += action_text(kActions[rng() % kActions.size()]) + " {\n";
    for (size_t i = 0; i < filters[b].size(); ++i) out.text += (i ? ",\n  " : "  ") + filters[b][i];
    out.text += "\n}\n";
  }
  out.text += "DEFAULT " + action_text(kActions[rng() % kActions.size()]) + "\n";
  return out;
}

std::vector<uint64_t> boundary_values(const std::vector<uint64_t>& constants) {
  std::vector<uint64_t> v = {0, 1, ~uint64_t{0}, 0xffffffff, 0x100000000};
  for (uint64_t c : constants) {
    for (uint64_t x : {c, c - 1, c + 1}) {
      v.push_back(x);
      v.push_back(x & 0xffffffff);                         // low half alone
      v.push_back(x & 0xffffffff00000000);                 // high half alone
      v.push_back((x & 0xffffffff) | 0xdeadbeef00000000);  // garbage high half
    }
  }
  return v;
}

std::vector<SeccompData> probe_cases(std::mt19937_64& rng, const std::vector<PoolSyscall>& pool,
                                     const std::vector<uint64_t>& values, size_t count) {
  std::vector<SeccompData> cases;
  for (size_t i = 0; i < count; ++i) {
    const PoolSyscall& s = pool[i % pool.size()];
    SeccompData d;
    d.nr = s.nr;
    for (uint64_t& a : d.args) a = values[rng() % values.size()];
    cases.push_back(d);
  }
  return cases;
}

namespace {

uint64_t value_of(const Operand& o, const SeccompData& d) {
  if (o.expr) return bit_eval(*o.expr, d.args);
  return o.is_arg ? (d.args[o.arg] & o.mask) : o.value;
}

bool holds(const Cond& c, const SeccompData& d) {
  switch (c.kind) {
    case Cond::Kind::True: return true;
    case Cond::Kind::False: return false;
    case Cond::Kind::Not: return !holds(*c.left, d);
    case Cond::Kind::And: return holds(*c.left, d) && holds(*c.right, d);
    case Cond::Kind::Or: return holds(*c.left, d) || holds(*c.right, d);
    case Cond::Kind::Cmp: break;
  }
  uint64_t l = value_of(c.lhs, d), r = value_of(c.rhs, d);
  if (is_narrow(c)) {  // Kafel: int-sized arguments compare their low 32 bits
    l &= 0xffffffff;
    r &= 0xffffffff;
  }
  switch (c.op) {
    case ast::CmpOp::Eq: return l == r;
    case ast::CmpOp::Ne: return l != r;
    case ast::CmpOp::Lt: return l < r;
    case ast::CmpOp::Le: return l <= r;
    case ast::CmpOp::Gt: return l > r;
    case ast::CmpOp::Ge: return l >= r;
  }
  return false;
}

}  // namespace

Action reference_decision(const RuleSet& set, const SeccompData& d) {
  if (d.arch != AUDIT_ARCH_X86_64 || d.nr >= kX32Bit) return kKillProcess;
  for (const Rule& r : set.rules) {
    std::optional<uint32_t> nr =
        r.by_number ? std::optional<uint32_t>(r.number) : syscall_number(Abi::X86_64, r.syscall);
    if (!nr || *nr != d.nr) continue;
    if (!r.cond || holds(*r.cond, d)) return r.action;
  }
  return set.default_action;
}

}  // namespace stockade::seccomp::test
