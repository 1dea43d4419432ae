// SPDX-License-Identifier: Apache-2.0
#include "export_oci.h"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include "dispatch.h"
#include "lower_cond.h"

namespace stockade::seccomp {
namespace {

// Pieces appended in order (GCC 12 -O3 -Wrestrict misfires on "lit" + string).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s.append(p);
  return s;
}

// Inclusive [lo, hi], sorted, disjoint and not touching.
struct Interval {
  uint64_t lo, hi;
  bool operator==(const Interval&) const = default;
  auto operator<=>(const Interval&) const = default;
};
using Intervals = std::vector<Interval>;

Intervals intersect(const Intervals& a, const Intervals& b) {
  Intervals out;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    uint64_t lo = std::max(a[i].lo, b[j].lo), hi = std::min(a[i].hi, b[j].hi);
    if (lo <= hi) out.push_back({lo, hi});
    if (a[i].hi < b[j].hi) ++i;
    else ++j;
  }
  return out;
}

Intervals complement(const Intervals& a, uint64_t top) {
  Intervals out;
  uint64_t next = 0;
  bool done = false;
  for (const Interval& iv : a) {
    if (iv.lo > next) out.push_back({next, iv.lo - 1});
    if (iv.hi == top) {
      done = true;
      break;
    }
    next = iv.hi + 1;
  }
  if (!done) out.push_back({next, top});
  return out;
}

using Cube = std::pair<uint64_t, uint64_t>;  // (mask, value): (x & mask) == value

std::optional<Cube> merge(const Cube& a, const Cube& b) {
  if ((a.second ^ b.second) & a.first & b.first) return std::nullopt;
  return Cube{a.first | b.first, a.second | b.second};
}

// A conjunction: per (argument, domain) the values allowed, per argument
// one masked equality.
struct Term {
  std::map<std::pair<uint32_t, uint64_t>, Intervals> ranges;  // (arg, domain top) -> allowed values of arg & top
  std::map<uint32_t, Cube> masked;
  auto operator<=>(const Term&) const = default;
};
using Dnf = std::vector<Term>;

std::optional<Term> conj_terms(const Term& a, const Term& b) {
  Term t = a;
  for (const auto& [key, iv] : b.ranges) {
    auto it = t.ranges.find(key);
    Intervals v = it == t.ranges.end() ? iv : intersect(it->second, iv);
    if (v.empty()) return std::nullopt;
    t.ranges[key] = std::move(v);
  }
  for (const auto& [arg, cube] : b.masked) {
    auto it = t.masked.find(arg);
    if (it == t.masked.end()) {
      t.masked[arg] = cube;
      continue;
    }
    std::optional<Cube> m = merge(it->second, cube);
    if (!m) return std::nullopt;
    it->second = *m;
  }
  return t;
}

struct OciBuilder {
  diag::Sink& sink;
  const Rule* rule = nullptr;
  bool failed = false;
  // Intermediate products are bounded too, so a hostile policy cannot make
  // the export run away.
  static constexpr size_t kMaxTerms = 4 * kMaxEntriesPerSyscall;

  void fail(const std::string& what) {
    if (failed) return;
    failed = true;
    sink.error(diag::Location{rule->file, rule->loc.line, rule->loc.column, rule->loc.length()},
               cat({"cannot be written as an OCI seccomp profile: ", what}));
  }

  Dnf conj(const Dnf& a, const Dnf& b) {
    Dnf out;
    for (const Term& x : a)
      for (const Term& y : b) {
        if (std::optional<Term> t = conj_terms(x, y)) out.push_back(std::move(*t));
        if (out.size() > kMaxTerms) {
          fail(cat({"`", rule->syscall, "' needs more than ", std::to_string(kMaxEntriesPerSyscall), " entries"}));
          return {};
        }
      }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  static Dnf disj(Dnf a, const Dnf& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  // y = x & mask against k, as masked equalities (a union of disjoint cubes).
  static Dnf masked_literal(uint32_t arg, uint64_t mask, ast::CmpOp op, uint64_t k) {
    Dnf out;
    auto cube = [&](uint64_t m, uint64_t v) {
      Term t;
      if (m) t.masked[arg] = {m, v & m};
      out.push_back(std::move(t));
    };
    auto above = [](int i) { return i == 63 ? uint64_t{0} : ~uint64_t{0} << (i + 1); };
    bool fits = (k & ~mask) == 0;
    switch (op) {
      case ast::CmpOp::Eq:
        if (fits) cube(mask, k);
        return out;
      case ast::CmpOp::Ne:
        if (!fits) {
          cube(0, 0);
          return out;
        }
        for (int i = 63; i >= 0; --i) {  // the highest bit of the mask that differs from k
          uint64_t b = uint64_t{1} << i;
          if (mask & b) cube((mask & above(i)) | b, (k & above(i)) | (~k & b));
        }
        return out;
      case ast::CmpOp::Lt:
      case ast::CmpOp::Le:
      case ast::CmpOp::Gt:
      case ast::CmpOp::Ge: {
        bool less = op == ast::CmpOp::Lt || op == ast::CmpOp::Le;
        // The highest bit where y and k differ decides: y agrees with k
        // above it (possible only where k's bits there are in the mask).
        for (int i = 63; i >= 0; --i) {
          uint64_t b = uint64_t{1} << i;
          if (k & ~mask & above(i)) break;
          bool kbit = (k & b) != 0;
          if (less && kbit) cube((mask & above(i)) | (mask & b), k & above(i));
          if (!less && !kbit && (mask & b)) cube((mask & above(i)) | b, (k & above(i)) | b);
        }
        if ((op == ast::CmpOp::Le || op == ast::CmpOp::Ge) && fits) cube(mask, k);
        return out;
      }
    }
    return out;
  }

  static ast::CmpOp negate(ast::CmpOp op) {
    switch (op) {
      case ast::CmpOp::Eq: return ast::CmpOp::Ne;
      case ast::CmpOp::Ne: return ast::CmpOp::Eq;
      case ast::CmpOp::Lt: return ast::CmpOp::Ge;
      case ast::CmpOp::Le: return ast::CmpOp::Gt;
      case ast::CmpOp::Gt: return ast::CmpOp::Le;
      case ast::CmpOp::Ge: return ast::CmpOp::Lt;
    }
    return op;
  }

  Dnf literal(const Cond& c, bool negated) {
    const Operand* x = &c.lhs;
    const Operand* k = &c.rhs;
    ast::CmpOp op = c.op;
    if (!x->is_arg && k->is_arg) {
      std::swap(x, k);
      op = ast::mirror(op);
    }
    if (x->is_arg && k->is_arg) {
      fail("it compares two arguments (an OCI comparison takes an argument and a constant)");
      return {};
    }
    if (x->expr) {
      fail("an `&`/`|` expression over arguments (OCI masks one argument with a constant)");
      return {};
    }
    if (negated) op = negate(op);
    uint64_t top = is_narrow(c) ? 0xffffffffu : ~uint64_t{0};
    if (!x->is_arg) {  // constant against constant (folded before, kept for safety)
      Term always;
      bool holds = false;
      switch (op) {
        case ast::CmpOp::Eq: holds = x->value == k->value; break;
        case ast::CmpOp::Ne: holds = x->value != k->value; break;
        case ast::CmpOp::Lt: holds = x->value < k->value; break;
        case ast::CmpOp::Le: holds = x->value <= k->value; break;
        case ast::CmpOp::Gt: holds = x->value > k->value; break;
        case ast::CmpOp::Ge: holds = x->value >= k->value; break;
      }
      return holds ? Dnf{always} : Dnf{};
    }
    uint64_t mask = x->mask & top, kv = k->value & top;
    if (mask != top) return masked_literal(x->arg, mask, op, kv);
    Intervals iv;
    switch (op) {
      case ast::CmpOp::Eq: iv = {{kv, kv}}; break;
      case ast::CmpOp::Ne: iv = complement({{kv, kv}}, top); break;
      case ast::CmpOp::Lt:
        if (kv > 0) iv = {{0, kv - 1}};
        break;
      case ast::CmpOp::Le: iv = {{0, kv}}; break;
      case ast::CmpOp::Gt:
        if (kv < top) iv = {{kv + 1, top}};
        break;
      case ast::CmpOp::Ge: iv = {{kv, top}}; break;
    }
    if (iv.empty()) return {};
    Term t;
    if (!(iv.size() == 1 && iv[0].lo == 0 && iv[0].hi == top)) t.ranges[{x->arg, top}] = iv;
    return {t};
  }

  Dnf dnf(const Cond& c, bool negated) {
    if (failed) return {};
    switch (c.kind) {
      case Cond::Kind::True: return negated ? Dnf{} : Dnf{Term{}};
      case Cond::Kind::False: return negated ? Dnf{Term{}} : Dnf{};
      case Cond::Kind::Not: return dnf(*c.left, !negated);
      case Cond::Kind::And:
      case Cond::Kind::Or: {
        bool both = (c.kind == Cond::Kind::And) != negated;  // De Morgan
        Dnf l = dnf(*c.left, negated), r = dnf(*c.right, negated);
        return both ? conj(l, r) : disj(std::move(l), r);
      }
      case Cond::Kind::Cmp: return literal(c, negated);
    }
    return {};
  }
};

// [lo, hi] within [0, top] as aligned blocks, each a cube under `top`.
std::vector<Cube> blocks(const Intervals& ivs, uint64_t top) {
  std::vector<Cube> out;
  for (const Interval& iv : ivs) {
    unsigned __int128 lo = iv.lo, hi = iv.hi;
    while (lo <= hi) {
      int k = 0;  // largest block 2^k aligned at lo and inside [lo, hi]
      while (k < 64 && (lo & ((static_cast<unsigned __int128>(1) << (k + 1)) - 1)) == 0 &&
             lo + (static_cast<unsigned __int128>(1) << (k + 1)) - 1 <= hi)
        ++k;
      uint64_t size_mask = k == 64 ? ~uint64_t{0} : (uint64_t{1} << k) - 1;
      out.push_back({top & ~size_mask, static_cast<uint64_t>(lo) & top & ~size_mask});
      lo += static_cast<unsigned __int128>(1) << k;
    }
  }
  return out;
}

// The entries' argument lists of one term (a union of disjoint cubes per
// argument, crossed over arguments).
std::vector<std::vector<OciArg>> expand(const Term& t, size_t limit, bool& over) {
  std::vector<std::map<uint32_t, Cube>> acc(1, t.masked);
  for (const auto& [key, iv] : t.ranges) {
    std::vector<std::map<uint32_t, Cube>> next;
    for (const Cube& c : blocks(iv, key.second))
      for (const auto& m : acc) {
        std::map<uint32_t, Cube> x = m;
        auto it = x.find(key.first);
        if (it == x.end()) {
          if (c.first) x[key.first] = c;
        } else {
          std::optional<Cube> merged = merge(it->second, c);
          if (!merged) continue;
          it->second = *merged;
        }
        next.push_back(std::move(x));
        if (next.size() > limit) {
          over = true;
          return {};
        }
      }
    acc = std::move(next);
  }
  std::vector<std::vector<OciArg>> out;
  for (const auto& m : acc) {
    std::vector<OciArg> args;
    for (const auto& [arg, c] : m) args.push_back({arg, c.first, c.second});
    out.push_back(std::move(args));
  }
  return out;
}

const char* action_word(Action a) {
  switch (a & 0xffff0000u) {
    case kKillProcess: return "SCMP_ACT_KILL_PROCESS";
    case kKillThread: return "SCMP_ACT_KILL_THREAD";
    case kTrap: return "SCMP_ACT_TRAP";
    case kErrno: return "SCMP_ACT_ERRNO";
    case kUserNotif: return "SCMP_ACT_NOTIFY";
    case kTrace: return "SCMP_ACT_TRACE";
    case kLog: return "SCMP_ACT_LOG";
    case kAllow: return "SCMP_ACT_ALLOW";
  }
  return "SCMP_ACT_KILL_PROCESS";
}

bool has_data(Action a) {
  uint32_t kind = a & 0xffff0000u;
  return kind == kErrno || kind == kTrace;
}

}  // namespace

bool oci_profile(const RuleSet& rules, OciProfile& out, diag::Sink& sink) {
  out = OciProfile{};
  out.default_action = rules.default_action;
  bool ok = true;
  if (!rules.foreign_abis.empty()) {
    sink.error(diag::Location{"", 0, 0, 1},
               "cannot be written as an OCI seccomp profile: it opts in a foreign ABI (ABI x32 / ABI i386)");
    return false;
  }
  auto action_ok = [&](Action a, const Rule* r) {
    if ((a & 0xffff0000u) != kTrap || (a & 0xffff) == 0) return true;
    std::string file = r ? r->file : rules.rules.empty() ? std::string() : rules.rules.front().file;
    const ast::Loc& at = r ? r->loc : rules.default_loc;
    sink.error(diag::Location{file, at.line, at.column, at.length()},
               cat({"cannot be written as an OCI seccomp profile: ", r ? "" : "DEFAULT ", action_name(a),
                    " (OCI carries no trap data)"}));
    return false;
  };
  if (!action_ok(rules.default_action, nullptr)) return false;
  PlanStorage storage;
  AbiPlan plan = plan_abi(rules, Abi::X86_64, 0, kX32Bit - 1, true, storage);
  std::map<Action, size_t> constant_entry;  // action -> index in out.entries
  std::vector<OciEntry> checked;
  for (const auto& [nr, leaf] : plan.leaves) {
    const Rule* first = leaf.rules.front();
    const char* name = syscall_name(Abi::X86_64, nr);
    if (!name) {
      sink.error(diag::Location{first->file, first->loc.line, first->loc.column, first->loc.length()},
                 cat({"cannot be written as an OCI seccomp profile: syscall number ", std::to_string(nr),
                      " has no name (OCI names syscalls)"}));
      ok = false;
      continue;
    }
    bool leaf_ok = true;
    for (const Rule* r : leaf.rules) leaf_ok = action_ok(r->action, r) && leaf_ok;
    if (!leaf_ok) {
      ok = false;
      continue;
    }
    if (leaf.constant()) {
      Action a = leaf.constant_action(plan.default_action);
      auto it = constant_entry.find(a);
      if (it == constant_entry.end()) {
        constant_entry[a] = out.entries.size();
        out.entries.push_back(OciEntry{{name}, a, {}});
      } else {
        out.entries[it->second].names.push_back(name);
      }
      continue;
    }
    OciBuilder b{sink, first};
    Dnf prefix{Term{}};  // no earlier rule of this syscall matched
    size_t before = checked.size();
    for (const Rule* r : leaf.rules) {
      b.rule = r;
      Dnf hit = r->cond ? b.dnf(*r->cond, false) : Dnf{Term{}};
      Dnf region = b.conj(prefix, hit);
      if (r->action != plan.default_action) {
        for (const Term& t : region) {
          bool over = false;
          for (std::vector<OciArg>& args : expand(t, kMaxEntriesPerSyscall, over))
            checked.push_back(OciEntry{{name}, r->action, std::move(args)});
          if (over || checked.size() - before > kMaxEntriesPerSyscall) {
            b.fail(cat({"`", name, "' needs more than ", std::to_string(kMaxEntriesPerSyscall), " entries"}));
            break;
          }
        }
      }
      if (!r->cond || b.failed) break;
      prefix = b.conj(prefix, b.dnf(*r->cond, true));
      if (prefix.empty()) break;
    }
    if (b.failed) ok = false;
  }
  // Overlapping terms of one region can cut out the same block twice.
  std::set<std::tuple<std::string, Action, std::vector<std::tuple<uint32_t, uint64_t, uint64_t>>>> seen;
  for (OciEntry& e : checked) {
    std::vector<std::tuple<uint32_t, uint64_t, uint64_t>> key;
    for (const OciArg& a : e.args) key.emplace_back(a.index, a.mask, a.value);
    if (seen.insert({e.names.front(), e.action, key}).second) out.entries.push_back(std::move(e));
  }
  return ok;
}

namespace {

std::string quoted(std::string_view s) { return cat({"\"", s, "\""}); }

}  // namespace

std::string oci_json(const OciProfile& p) {
  std::string j = cat({"{\n  \"defaultAction\": ", quoted(action_word(p.default_action))});
  if (has_data(p.default_action)) j += cat({",\n  \"defaultErrnoRet\": ", std::to_string(p.default_action & 0xffff)});
  j += ",\n  \"architectures\": [\"SCMP_ARCH_X86_64\"],\n  \"syscalls\": [";
  for (size_t i = 0; i < p.entries.size(); ++i) {
    const OciEntry& e = p.entries[i];
    j += i ? ",\n    {" : "\n    {";
    j += "\"names\": [";
    for (size_t n = 0; n < e.names.size(); ++n) j += cat({n ? ", " : "", quoted(e.names[n])});
    j += cat({"], \"action\": ", quoted(action_word(e.action))});
    if (has_data(e.action)) j += cat({", \"errnoRet\": ", std::to_string(e.action & 0xffff)});
    if (!e.args.empty()) {
      j += ", \"args\": [";
      for (size_t a = 0; a < e.args.size(); ++a) {
        const OciArg& x = e.args[a];
        j += a ? ", " : "";
        if (x.mask == ~uint64_t{0})
          j += cat({"{\"index\": ", std::to_string(x.index), ", \"value\": ", std::to_string(x.value),
                    ", \"op\": \"SCMP_CMP_EQ\"}"});
        else
          j += cat({"{\"index\": ", std::to_string(x.index), ", \"value\": ", std::to_string(x.mask),
                    ", \"valueTwo\": ", std::to_string(x.value), ", \"op\": \"SCMP_CMP_MASKED_EQ\"}"});
      }
      j += "]";
    }
    j += "}";
  }
  j += p.entries.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return j;
}

Action oci_decide(const OciProfile& p, const std::string& syscall, const uint64_t args[6]) {
  for (const OciEntry& e : p.entries) {
    if (std::find(e.names.begin(), e.names.end(), syscall) == e.names.end()) continue;
    bool all = true;
    for (const OciArg& a : e.args) all = all && (args[a.index] & a.mask) == a.value;
    if (all) return e.action;
  }
  return p.default_action;
}

}  // namespace stockade::seccomp
