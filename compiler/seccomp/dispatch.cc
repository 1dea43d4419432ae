#include "dispatch.h"

#include <optional>

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
    // A rule that decides what falling through would decide changes nothing
    // when it is last.
    Action fallthrough = plan.default_action;
    while (!kept.empty() && kept.back()->action == fallthrough) kept.pop_back();
    rules = std::move(kept);
    if (rules.empty()) it = plan.leaves.erase(it);
    else ++it;
  }
  return plan;
}

namespace {

struct Range {
  uint32_t first, last;   // inclusive
  const Leaf* leaf;       // null: the default
  Action action;          // when constant
  bool constant;
  uint64_t weight = 1;    // how likely a call lands here (see weigh)
};

// The search is balanced by weight, not by range count: a range weighs one
// plus sixteen per syscall of the ABI it holds. Calls land on syscalls that
// exist, and a policy's exceptions (denied or checked syscalls) are single
// numbers, so the wide ranges that hold most syscalls end up near the root
// and numbers no syscall has sink to the bottom.
void weigh(std::vector<Range>& ranges, Abi abi) {
  const AbiInfo& info = abi_info(abi);
  for (Range& r : ranges) {
    r.weight = 1;
    for (size_t i = 0; i < info.count; ++i)
      if (info.table[i].nr >= r.first && info.table[i].nr <= r.last) r.weight += 16;
  }
}

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

// Binary search over ranges[lo, hi): A >= start of the split range goes
// right. A side that is a single range needing argument checks is jumped to
// directly (no `ja` in between); a constant side returns in place.
void emit_tree(const std::vector<Range>& ranges, size_t lo, size_t hi, Builder& b,
               const std::map<const Leaf*, Label>& checks) {
  if (hi - lo == 1) {
    const Range& r = ranges[lo];
    b.ja(r.constant ? b.ret(r.action) : checks.at(r.leaf));
    return;
  }
  // Split where the two sides weigh most nearly the same.
  uint64_t total = 0;
  for (size_t i = lo; i < hi; ++i) total += ranges[i].weight;
  size_t mid = lo + 1;
  uint64_t left_weight = ranges[lo].weight, best = UINT64_MAX;
  for (size_t m = lo + 1; m < hi; ++m) {
    uint64_t diff = left_weight > total - left_weight ? 2 * left_weight - total : total - 2 * left_weight;
    if (diff < best) {
      best = diff;
      mid = m;
    }
    left_weight += ranges[m].weight;
  }
  // A side that is one range is jumped to directly: its checks, or for a
  // constant range the shared `ret` block (an inline `ret` per leaf would
  // cost an instruction each; the path is the same).
  auto direct = [&](size_t from, size_t to) -> std::optional<Label> {
    if (to - from != 1) return std::nullopt;
    if (ranges[from].constant) return b.ret(ranges[from].action);
    return checks.at(ranges[from].leaf);
  };
  std::optional<Label> left_direct = direct(lo, mid), right_direct = direct(mid, hi);
  Label left = left_direct.value_or(b.label()), right = right_direct.value_or(b.label());
  b.cond(BPF_JMP | BPF_JGE | BPF_K, ranges[mid].first, right, left);
  if (!left_direct) {
    b.bind(left);
    emit_tree(ranges, lo, mid, b, checks);
  }
  if (!right_direct) {
    b.bind(right);
    emit_tree(ranges, mid, hi, b, checks);
  }
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
    emit_tree(ranges, 0, ranges.size(), b, checks);
  }
  for (const auto& [nr, leaf] : plan.leaves) {
    auto it = checks.find(&leaf);
    if (it == checks.end()) continue;
    b.bind(it->second);
    emit_checks(leaf, plan.default_action, b);
  }
}

}  // namespace stockade::seccomp
