// SPDX-License-Identifier: Apache-2.0
// Stage 5: paths. Mount targets and sources and cwd are absolute and
// normalised; two mounts in one policy body never share a target; `dev`
// takes only the allowed device nodes.
#pragma once

#include <string>

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/names.h"

namespace stockade::frontend {

bool check_paths(const ast::Program& program, const Scope& scope, diag::Sink& sink);

}  // namespace stockade::frontend
