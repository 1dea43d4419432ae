// SPDX-License-Identifier: Apache-2.0
// Stage 3: names. Finds every policy and the params each one sees, and
// reports duplicate policies, duplicate params in one body, unknown params
// (in ${X} and `if X`), unknown extends targets, extends cycles, and unknown
// names of namespaces, rlimits, cgroup limits, capabilities and modes. It
// also resolves the fixed words (param types, network and session modes) to
// the enums of keywords.h, once, so no later pass compares their spelling.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/keywords.h"

namespace stockade::frontend {

struct PolicyInfo {
  const ast::Policy* policy = nullptr;
  size_t file = 0;                      // index into Program::files
  const ast::Policy* parent = nullptr;  // null: none, unknown, or part of a cycle
  // Params visible in the body: the parent's, in the parent's order, with
  // redeclarations in place, then the policy's new ones.
  std::vector<const ast::ParamDecl*> params;
  // The words of `params` and of the body, resolved. A declaration or
  // statement is missing here when its word is unknown (an error reported
  // by this pass, or by the type pass for param types).
  std::map<const ast::ParamDecl*, ParamType> param_types;
  std::map<const ast::NetworkStmt*, NetworkMode> network_modes;
  std::map<const ast::SessionStmt*, SessionMode> session_modes;

  const ast::ParamDecl* param(const std::string& name) const;
  long param_index(const std::string& name) const;  // -1 if unknown
  // nullopt when the declared type is unknown.
  std::optional<ParamType> type(const ast::ParamDecl& decl) const;
};

struct Scope {
  std::map<std::string, PolicyInfo> policies;  // first definition of each name
  const PolicyInfo* find(const std::string& name) const;
};

// Builds `out` even when errors are found, so later passes can go on and
// report more. Returns false if an error was reported.
bool check_names(const ast::Program& program, diag::Sink& sink, Scope& out);

}  // namespace stockade::frontend
