// SPDX-License-Identifier: Apache-2.0
#include "dispatch.h"

#include <algorithm>
#include <optional>

#include "hot_syscalls.h"
#include "lower_cond.h"

namespace stockade::seccomp {

bool Leaf::constant() const { return rules.empty() || !rules.front()->cond; }
Action Leaf::constant_action(Action fallback) const { return rules.empty() ? fallback : rules.front()->action; }

namespace {

CondPtr make(Cond::Kind k, CondPtr l = nullptr, CondPtr r = nullptr) {
  auto c = std::make_shared<Cond>();
  c->kind = k;
  c->left = std::move(l);
  c->right = std::move(r);
  return c;
}

bool is(const CondPtr& c, Cond::Kind k) { return c && c->kind == k; }

}  // namespace

CondPtr simplify(const CondPtr& c) {
  if (!c) return c;
  switch (c->kind) {
    case Cond::Kind::True:
    case Cond::Kind::False:
    case Cond::Kind::Cmp: return c;
    case Cond::Kind::Not: {
      CondPtr in = simplify(c->left);
      if (is(in, Cond::Kind::True)) return make(Cond::Kind::False);
      if (is(in, Cond::Kind::False)) return make(Cond::Kind::True);
      return make(Cond::Kind::Not, in);
    }
    case Cond::Kind::And:
    case Cond::Kind::Or: {
      bool is_and = c->kind == Cond::Kind::And;
      // For &&, false dominates and true is neutral; for || the reverse.
      Cond::Kind dominant = is_and ? Cond::Kind::False : Cond::Kind::True;
      Cond::Kind neutral = is_and ? Cond::Kind::True : Cond::Kind::False;
      CondPtr l = simplify(c->left), r = simplify(c->right);
      if (is(l, dominant) || is(r, dominant)) return make(dominant);
      if (is(l, neutral)) return r;
      if (is(r, neutral)) return l;
      return make(c->kind, l, r);
    }
  }
  return c;
}

AbiPlan plan_abi(const RuleSet& set, Abi abi, uint32_t lo, uint32_t hi, bool optimise, PlanStorage& storage) {
  AbiPlan plan;
  plan.abi = abi;
  plan.lo = lo;
  plan.hi = hi;
  plan.default_action = set.default_action;
  bool native = abi == Abi::X86_64 || abi == Abi::Aarch64;
  for (const Rule& r : set.rules) {
    std::optional<uint32_t> nr;
    if (r.by_number) {
      if (native) nr = r.number;  // SYSCALL[n] names a native number
    } else {
      nr = syscall_number(abi, r.syscall);
    }
    if (!nr || *nr < lo || *nr > hi) continue;
    const Rule* use = &r;
    if (optimise && r.cond) {
      auto copy = std::make_unique<Rule>(r);
      copy->cond = simplify(r.cond);
      if (is(copy->cond, Cond::Kind::True)) copy->cond = nullptr;
      use = copy.get();
      storage.rules.push_back(std::move(copy));
    }
    plan.leaves[*nr].rules.push_back(use);
  }
  if (!optimise) return plan;
  for (auto it = plan.leaves.begin(); it != plan.leaves.end();) {
    std::vector<const Rule*>& rules = it->second.rules;
    std::vector<const Rule*> kept;
    for (const Rule* r : rules) {
      if (is(r->cond, Cond::Kind::False)) continue;  // never matches
      kept.push_back(r);
      if (!r->cond) break;  // later rules are unreachable
    }
    // Dead rules, from the end: a last rule that decides what falling
    // through decides (the default) changes nothing, and neither does a
    // conditional rule just before an unconditional one with the same
    // action (matched or not, the call gets that action).
    for (;;) {
      size_t n = kept.size();
      if (n == 0) break;
      if (kept.back()->action == plan.default_action) {
        kept.pop_back();
        continue;
      }
      if (!kept.back()->cond && n >= 2 && kept[n - 2]->action == kept.back()->action) {
        kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(n - 2));
        continue;
      }
      break;
    }
    rules = std::move(kept);
    if (rules.empty()) it = plan.leaves.erase(it);
    else ++it;
  }
  return plan;
}

namespace {

struct Range {
  uint32_t first, last;  // inclusive
  const Leaf* leaf;      // null: the default
  Action action;         // when constant
  bool constant;
  uint64_t weight = 1;  // how likely a call lands here (see weigh)
};

// How likely a call lands in each range: the cost model of the search.
// Every syscall of the ABI counts kPerSyscall, so a call is assumed to land
// on a syscall that exists (a policy's exceptions are single numbers, and
// numbers no syscall has sink to the bottom); on top of that each syscall
// of the measured profile (hot_syscalls.h) counts kPerMille per mille of
// all calls it takes, so the calls jobs make most are found first. With
// these figures the profile weighs about as much as all syscalls together:
// both the hot calls and the rest stay short (seccomp_bench prints both).
constexpr uint64_t kPerSyscall = 16;
constexpr uint64_t kPerMille = 8;

void weigh(std::vector<Range>& ranges, Abi abi) {
  const AbiInfo& info = abi_info(abi);
  auto add = [&](uint32_t nr, uint64_t w) {
    // ranges are sorted and cover every number: the first whose end is >= nr
    auto it = std::lower_bound(ranges.begin(), ranges.end(), nr, [](const Range& r, uint32_t n) { return r.last < n; });
    if (it != ranges.end() && it->first <= nr) it->weight += w;
  };
  for (Range& r : ranges) r.weight = 1;
  for (size_t i = 0; i < info.count; ++i) add(info.table[i].nr, kPerSyscall);
  for (unsigned i = 0; i < kHotSyscallCount; ++i)
    if (std::optional<uint32_t> nr = syscall_number(abi, kHotSyscalls[i].name))
      add(*nr, kPerMille * kHotSyscalls[i].per_mille);
}

// The search tree of least expected cost: a `jge` per inner node, ranges as
// leaves, cost = sum over ranges of weight x the `jge`s on its path (a leaf
// is reached by a direct jump, so that is the whole cost the tree adds).
// The classic dynamic programme over spans [i, j) with Knuth's bound on the
// split (the best split of [i, j) lies between those of [i, j-1) and
// [i+1, j)), O(n^2) for n ranges. split[i][j] is the index of the first
// range of the right side.
class SearchPlan {
 public:
  explicit SearchPlan(const std::vector<Range>& ranges) : n_(ranges.size()), split_((n_ + 1) * (n_ + 1), 0) {
    std::vector<uint64_t> prefix(n_ + 1, 0);
    for (size_t i = 0; i < n_; ++i) prefix[i + 1] = prefix[i] + ranges[i].weight;
    std::vector<uint64_t> cost((n_ + 1) * (n_ + 1), 0);
    for (size_t len = 2; len <= n_; ++len) {
      for (size_t i = 0; i + len <= n_; ++i) {
        size_t j = i + len;
        size_t lo = len == 2 ? i + 1 : split_[at(i, j - 1)];
        size_t hi = len == 2 ? i + 1 : split_[at(i + 1, j)];
        uint64_t best = UINT64_MAX;
        size_t best_k = lo;
        for (size_t k = lo; k <= hi; ++k) {
          uint64_t c = cost[at(i, k)] + cost[at(k, j)];
          if (c < best) {
            best = c;
            best_k = k;
          }
        }
        cost[at(i, j)] = best + prefix[j] - prefix[i];
        split_[at(i, j)] = static_cast<uint32_t>(best_k);
      }
    }
  }
  size_t split(size_t i, size_t j) const { return split_[at(i, j)]; }

 private:
  size_t at(size_t i, size_t j) const { return i * (n_ + 1) + j; }
  size_t n_;
  std::vector<uint32_t> split_;
};

std::vector<Range> ranges_of(const AbiPlan& plan) {
  std::vector<Range> out;
  auto push = [&](uint32_t first, uint32_t last, const Leaf* leaf, std::optional<Action> fixed = std::nullopt) {
    bool constant = !leaf || leaf->constant();
    Action action = fixed ? *fixed : leaf ? leaf->constant_action(plan.default_action) : plan.default_action;
    if (constant && !out.empty() && out.back().constant && out.back().action == action &&
        out.back().last + 1 == first) {
      out.back().last = last;  // same decision as its neighbour: one range
      return;
    }
    out.push_back({first, last, constant ? nullptr : leaf, action, constant});
  };
  uint64_t next = plan.lo;
  for (const auto& [nr, leaf] : plan.leaves) {
    if (nr > next) push(static_cast<uint32_t>(next), nr - 1, nullptr);
    push(nr, nr, &leaf);
    next = uint64_t{nr} + 1;
  }
  if (next <= plan.hi) push(static_cast<uint32_t>(next), plan.hi, nullptr);
  if (plan.has_tail) push(plan.tail_from, 0xffffffffu, nullptr, plan.tail_action);
  return out;
}

void emit_checks(const Leaf& leaf, Action fallback, Builder& b) {
  for (size_t i = 0; i < leaf.rules.size(); ++i) {
    const Rule* r = leaf.rules[i];
    if (!r->cond) {
      b.ja(b.ret(r->action));
      return;
    }
    // The last rule's failure goes straight to the shared return of the
    // fallback: no `ret` copy at the end of each syscall's checks.
    bool last = i + 1 == leaf.rules.size();
    Label next = last ? b.ret(fallback) : b.label();
    lower_cond(*r->cond, b, b.ret(r->action), next);
    if (last) return;
    b.bind(next);
  }
  b.ja(b.ret(fallback));
}

// Binary search over ranges[lo, hi): A >= start of the split range goes
// right. A side that is one constant range jumps straight to the shared
// `ret` (an inline `ret` per leaf would cost an instruction each; the path
// is the same); a side that is one checked range has its checks right
// there, after the jump, so the jump into them is short: emitting every
// leaf's checks after the whole tree made most of those jumps too far for a
// conditional jump in large programs, each then paying a trampoline.
void emit_tree(const std::vector<Range>& ranges, const SearchPlan& plan, size_t lo, size_t hi, Action fallback,
               Builder& b, const std::map<const Leaf*, Label>& checks) {
  auto label_for = [&](size_t from, size_t to) -> Label {
    if (to - from != 1) return b.label();
    return ranges[from].constant ? b.ret(ranges[from].action) : checks.at(ranges[from].leaf);
  };
  auto emit_side = [&](size_t from, size_t to, Label l) {
    if (to - from == 1 && ranges[from].constant) return;  // the shared ret
    b.bind(l);
    if (to - from == 1) emit_checks(*ranges[from].leaf, fallback, b);
    else emit_tree(ranges, plan, from, to, fallback, b, checks);
  };
  if (hi - lo == 1) {
    Label l = label_for(lo, hi);
    if (ranges[lo].constant) b.ja(l);
    else emit_side(lo, hi, l);
    return;
  }
  size_t mid = plan.split(lo, hi);
  Label left = label_for(lo, mid), right = label_for(mid, hi);
  b.cond(BPF_JMP | BPF_JGE | BPF_K, ranges[mid].first, right, left);
  emit_side(lo, mid, left);
  emit_side(mid, hi, right);
}

}  // namespace

void emit_dispatch(const AbiPlan& plan, Builder& b, bool optimise) {
  std::map<const Leaf*, Label> checks;
  if (!optimise) {
    // Reference form: one `jeq` per syscall with rules, then the default.
    for (const auto& [nr, leaf] : plan.leaves) {
      Label hit = b.label(), next = b.label();
      checks[&leaf] = hit;
      b.cond(BPF_JMP | BPF_JEQ | BPF_K, nr, hit, next);
      b.bind(next);
    }
    b.ja(b.ret(plan.default_action));
  } else {
    std::vector<Range> ranges = ranges_of(plan);
    weigh(ranges, plan.abi);
    for (const Range& r : ranges)
      if (!r.constant) checks[r.leaf] = b.label();
    emit_tree(ranges, SearchPlan(ranges), 0, ranges.size(), plan.default_action, b, checks);
    return;  // every leaf's checks are in the tree
  }
  for (const auto& [nr, leaf] : plan.leaves) {
    b.bind(checks.at(&leaf));
    emit_checks(leaf, plan.default_action, b);
  }
}

}  // namespace stockade::seccomp
