// SPDX-License-Identifier: Apache-2.0
// The `network filtered { ... }` rules in the front end: their errors (a
// check pass, beside names and types), their lowering into the IR, and the
// build-time check of their `expect connect` lines on the compiled rules.
// The rule text itself is read by compiler/egress/rules.h.
#pragma once

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/names.h"
#include "policy_ir.pb.h"

namespace stockade::frontend {

// Every rule of every policy: syntax, addresses, and each ${NAME} an
// endpoint param the policy declares.
bool check_network_rules(const Scope& scope, diag::Sink& sink);
// After the checks passed: the rules and expects into `out`.
void lower_filter_rules(const PolicyInfo& info, const ast::FilterBlock& block, ir::NetworkSetting& out);
// Each `expect connect` of each filtered setting, against that setting's
// compiled rules (with every endpoint param empty).
bool check_network_expects(const ir::PolicyIr& policy, diag::Sink& sink);

}  // namespace stockade::frontend
