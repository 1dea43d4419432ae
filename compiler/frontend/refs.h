// SPDX-License-Identifier: Apache-2.0
// Where a statement refers to parameters, and what kind of slot each
// reference fills. Shared by the name, type and lowering passes so they
// agree on what a statement uses.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "frontend/ast.h"

namespace stockade::frontend {

enum class Slot {
  PathStart,   // ${X} at the very start of a path
  PathInner,   // ${X} elsewhere in a path
  String,      // ${X} in a string (hostname, env value, file content)
  Size,        // a numeric slot in bytes
  Duration,    // a numeric slot in time units
  Count,       // a plain number (ids, fds, pids, nofile, mode)
  Guard,       // `if X` / `if !X`
  ListSource,  // ${X} as the whole source of `bind each`: a list param
};

const char* slot_name(Slot slot);

struct Ref {
  const std::string& name;
  const ast::Loc& loc;
  Slot slot;
};

// What a quantity means in a given rlimit / cgroup statement. Unknown names
// give Count; the name check reports them.
Slot rlimit_slot(const std::string& resource);
bool known_rlimit(const std::string& resource);
bool known_cgroup_limit(const std::string& limit);
// Every rlimit and cgroup limit name, for "did you mean".
const std::vector<std::string>& rlimit_names();
const std::vector<std::string>& cgroup_limit_names();
Slot cgroup_slot(const std::string& limit);

// Calls `fn` for each param reference in `stmt`, including its guard, in
// source order. ParamDecl statements have none (defaults cannot refer to params).
void for_each_ref(const ast::Stmt& stmt, const std::function<void(const Ref&)>& fn);

}  // namespace stockade::frontend
