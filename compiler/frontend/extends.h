// SPDX-License-Identifier: Apache-2.0
// Stage 6: `extends`. A child starts from its parent's lowered statements and
// adds its own after them (docs/language.md, section `extends`): settings
// append (the last applicable wins), the child's mounts on a parent mount's
// target replace the parent's mounts there in place, env rules run after the
// parent's, capability and fd lists join, the child's seccomp block replaces
// the parent's and expect lines accumulate: a child's `expect CALL -> ACTION`
// restates (replaces) an inherited expect on the same CALL, and
// `expect drop CALL` removes it.
#pragma once

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/lower.h"
#include "frontend/names.h"
#include "policy_ir.pb.h"

namespace stockade::frontend {

// Merges `child` (one lowered body) into `base` (the parent's full lowering,
// or an empty message for a policy without parent).
void merge_child(ir::PolicyIr& base, const LoweredBody& child);

// Applies the body's restated and dropped expects to the inherited ones in
// `base`, and takes its `expect drop` lines out of `child`. A drop that
// matches nothing inherited is an error.
void override_expects(ir::PolicyIr& base, LoweredBody& child, diag::Sink& sink);

// The full lowering of `info` and its ancestors, with name, location and
// parent set, and the policy seccomp block (the policy's own or the nearest
// ancestor's) as the only fragment. Shared fragments are added by the caller.
ir::PolicyIr resolve_policy(const Scope& scope, const PolicyInfo& info, diag::Sink& sink);

}  // namespace stockade::frontend
