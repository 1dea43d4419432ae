// SPDX-License-Identifier: Apache-2.0
// Stage 7: lowering one policy body to the IR. Params get indices (the
// parent's first), ${X} become Template segments, a statement that uses an
// optional param gets COND_SET on it, sizes become bytes, durations
// milliseconds (rlimit cpu whole seconds), modes octal, and the defaults of
// docs/language.md are written out (bind ro+nosuid+nodev, tmpfs
// rw+nosuid+nodev, proc rw+nosuid+nodev+noexec, dev rw+nosuid).
// Assumes the name, type and path checks passed.
#pragma once

#include <optional>

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/names.h"
#include "policy_ir.pb.h"

namespace stockade::frontend {

// One body, before `extends` merges it into its parent's lowering.
struct LoweredBody {
  ir::PolicyIr ir;                             // params: the whole table the body sees; the rest: this body only
  std::optional<ir::SeccompFragment> seccomp;  // the body's own `seccomp { }` block
  std::optional<bool> allow_new_privs;         // set when the body says no_new_privs
  std::optional<ir::Session> session;          // set when the body says session
};

LoweredBody lower_body(const PolicyInfo& info, diag::Sink& sink);

ir::Location to_ir(const ast::Loc& loc);

// The top-level `seccomp { }` blocks of `file` and of the files it includes
// (transitively, each once), includes first, in include order.
std::vector<ir::SeccompFragment> shared_seccomp(const ast::Program& program, size_t file);

}  // namespace stockade::frontend
