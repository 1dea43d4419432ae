// SPDX-License-Identifier: Apache-2.0
// Stage 4: types. Param declarations (known type, default fits type and
// range, a redeclaration keeps the parent's type), each ${X} and `if X`
// against the slot it fills, and units of every number (a size needs a size
// unit, a duration a duration unit, a count none).
#pragma once

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/names.h"

namespace stockade::frontend {

// Returns false if an error was reported. Unknown names were reported by
// check_names and are skipped here.
bool check_types(const ast::Program& program, const Scope& scope, diag::Sink& sink);

}  // namespace stockade::frontend
