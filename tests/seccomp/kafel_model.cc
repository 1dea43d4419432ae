// SPDX-License-Identifier: Apache-2.0
#include "kafel_model.h"

#include <map>
#include <set>

#include "dispatch.h"
#include "lower_cond.h"

namespace stockade::seccomp::test {

namespace {

size_t operands(const BitExpr& e) {
  if (e.kind == BitExpr::Kind::Const || e.kind == BitExpr::Kind::Arg) return 1;
  return operands(*e.left) + operands(*e.right);
}

size_t side_cost(const Operand& o) {
  if (o.expr) return 2 * operands(*o.expr);
  return 1 + (o.is_arg && o.mask != ~uint64_t{0} ? 1 : 0);  // load (+ ALU and)
}

size_t cmp_cost(const Cond& c) {
  size_t halves = is_narrow(c) ? 1 : 2;
  bool inequality = c.op != ast::CmpOp::Eq && c.op != ast::CmpOp::Ne;
  size_t per_half;
  if (c.lhs.is_arg && c.rhs.is_arg) {
    per_half = side_cost(c.lhs) + side_cost(c.rhs) + 2;  // loads, tax, jump
  } else {
    const Operand& arg = c.lhs.is_arg ? c.lhs : c.rhs;
    const Operand& k = c.lhs.is_arg ? c.rhs : c.lhs;
    bool jset = !arg.expr && arg.mask != ~uint64_t{0} && k.value == 0 && !inequality;
    per_half = jset ? 2 : side_cost(arg) + 1;
  }
  size_t n = halves * per_half;
  if (inequality && halves == 2) n += 1;
  return n;
}

size_t cond_cost(const Cond& c) {
  switch (c.kind) {
    case Cond::Kind::True:
    case Cond::Kind::False: return 0;
    case Cond::Kind::Not: return cond_cost(*c.left);
    case Cond::Kind::And:
    case Cond::Kind::Or: return cond_cost(*c.left) + cond_cost(*c.right);
    case Cond::Kind::Cmp: return cmp_cost(c);
  }
  return 0;
}

}  // namespace

size_t kafel_model_size(const RuleSet& set) {
  PlanStorage storage;
  // Stockade's plan drops exactly the rules Kafel emits nothing for
  // (unreachable after an unconditional one, ending where the rest ends).
  AbiPlan plan = plan_abi(set, Abi::X86_64, 0, kX32Bit - 1, true, storage);
  std::set<Action> actions = {kKillProcess, plan.default_action};
  size_t body = 0;
  // Ranges: runs of adjacent numbers whose decision is the same constant.
  size_t ranges = 0;
  bool in_run = false;  // extending a run of one constant decision
  Action run = 0;
  auto extend = [&](Action a) {
    if (!in_run || run != a) ++ranges;
    in_run = true;
    run = a;
  };
  uint64_t next = 0;
  for (const auto& [nr, leaf] : plan.leaves) {
    if (nr > next) extend(plan.default_action);  // a gap: the default
    if (leaf.constant()) {
      Action a = leaf.constant_action(plan.default_action);
      actions.insert(a);
      extend(a);
    } else {
      ++ranges;
      in_run = false;
      for (const Rule* r : leaf.rules) {
        actions.insert(r->action);
        if (r->cond) body += cond_cost(*r->cond);
      }
    }
    next = uint64_t{nr} + 1;
  }
  if (next < kX32Bit) extend(plan.default_action);
  return 3 + actions.size() + (ranges ? ranges - 1 : 0) + body;
}

}  // namespace stockade::seccomp::test
