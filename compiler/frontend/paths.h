// Stage 5: paths. Mount targets and sources and cwd are absolute and
// normalised; two mounts in one policy body never share a target; `dev`
// takes only the allowed device nodes.
#pragma once

#include <string>

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/names.h"

namespace stockade::frontend {

// "" if `path` is absolute and normalised (no `//`, no `.` or `..`
// component, no trailing `/` except for "/" itself), else what is wrong.
std::string path_problem(const std::string& path);

bool check_paths(const ast::Program& program, const Scope& scope, diag::Sink& sink);

}  // namespace stockade::frontend
