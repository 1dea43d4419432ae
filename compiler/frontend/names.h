// Stage 3: names. Finds every policy and the params each one sees, and
// reports duplicate policies, duplicate params in one body, unknown params
// (in ${X} and `if X`), unknown extends targets, extends cycles, and unknown
// names of namespaces, rlimits, cgroup limits, capabilities and modes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "frontend/ast.h"

namespace stockade::frontend {

struct PolicyInfo {
  const ast::Policy* policy = nullptr;
  size_t file = 0;                 // index into Program::files
  const ast::Policy* parent = nullptr;  // null: none, unknown, or part of a cycle
  // Params visible in the body: the parent's, in the parent's order, with
  // redeclarations in place, then the policy's new ones.
  std::vector<const ast::ParamDecl*> params;

  const ast::ParamDecl* param(const std::string& name) const;
  long param_index(const std::string& name) const;  // -1 if unknown
};

struct Scope {
  std::map<std::string, PolicyInfo> policies;  // first definition of each name
  const PolicyInfo* find(const std::string& name) const;
};

// Builds `out` even when errors are found, so later passes can go on and
// report more. Returns false if an error was reported.
bool check_names(const ast::Program& program, diag::Sink& sink, Scope& out);

}  // namespace stockade::frontend
