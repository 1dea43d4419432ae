// SPDX-License-Identifier: Apache-2.0
// Pass 1 after parsing: resolves the syntax trees of every fragment (in
// order) into one RuleSet. Kafel semantics: a constant, policy or argument
// must be defined before use; `USE p` pastes p's rules in place; top-level
// entries and USE statements form the compiled policy.
#pragma once

#include <vector>

#include "diag/diagnostics.h"
#include "kafel_ast.h"
#include "rules.h"

namespace stockade::seccomp {

// The #define'd constants, visible to `expect` lines after resolution.
struct Constants {
  std::vector<std::pair<std::string, uint64_t>> items;
  const uint64_t* find(const std::string& name) const;
};

bool resolve(const std::vector<ast::Unit>& units, Abi native, RuleSet& out, Constants& constants, diag::Sink& sink);

}  // namespace stockade::seccomp
