// SPDX-License-Identifier: Apache-2.0
// Per-ABI decisions and the dispatch on the syscall number.
//
// plan_abi: which rules apply to each syscall number of one ABI, simplified
// when optimising (constant conditions folded, rules after an unconditional
// one dropped, trailing rules that end where the default would end dropped).
// A syscall whose decision needs no argument becomes a constant leaf.
//
// emit_dispatch: with the syscall number in A, jumps to the decision. When
// optimising, numbers are grouped into ranges of equal decision and searched
// with the binary tree of `jge` of least expected cost under a model of how
// often each range is called (every syscall alike, plus a measured profile of
// the calls jobs make most: hot_syscalls.h); otherwise a `jeq` chain (the
// reference the optimised form is tested against). Constant leaves never load
// an argument, so the kernel's seccomp action cache can serve them.
#pragma once

#include <map>
#include <vector>

#include "builder.h"
#include "rules.h"

namespace stockade::seccomp {

struct Leaf {
  std::vector<const Rule*> rules;  // in order; empty or first unconditional -> constant
  bool constant() const;
  Action constant_action(Action fallback) const;
};

struct AbiPlan {
  Abi abi = Abi::X86_64;
  uint32_t lo = 0, hi = 0;          // the numbers this dispatch sees, inclusive
  std::map<uint32_t, Leaf> leaves;  // numbers with rules; others get default_action
  Action default_action = kKillThread;
  // Numbers from tail_from to 0xffffffff get tail_action (x86-64: the x32 bit
  // kills), searched by the same tree instead of a check of its own.
  bool has_tail = false;
  uint32_t tail_from = 0;
  Action tail_action = kKillProcess;
};

// Conditions simplified by the optimiser live here so Leaf can point at them.
struct PlanStorage {
  std::vector<std::unique_ptr<Rule>> rules;
};

AbiPlan plan_abi(const RuleSet& set, Abi abi, uint32_t lo, uint32_t hi, bool optimise, PlanStorage& storage);

// Expects the syscall number in A. Ends every path in a `ret`.
void emit_dispatch(const AbiPlan& plan, Builder& b, bool optimise);

// Folds True/False through And/Or/Not; the result never contains a True or
// False below the root.
CondPtr simplify(const CondPtr& c);

}  // namespace stockade::seccomp
