// SPDX-License-Identifier: Apache-2.0
// One typed param per value placeholder, its type decided by where it was
// used: a bool or number slot gives that type; the start of a path gives
// `path`; inside a path gives `name` (`relpath` for the names Windmill fills
// with a path with folders); only inside strings gives `string`.
#include <set>

#include "translation.h"

namespace stockade::nsjail {
namespace {

// Value placeholders the Windmill configs use (README of the shared configs);
// any other name is imported with a warning.
const std::set<std::string>& known() {
  static const std::set<std::string> names = {"JOB_DIR",
                                              "MAIN",
                                              "CLONE_NEWUSER",
                                              "CLONE_NEWNET",
                                              "TIMEOUT",
                                              "CACHE_DIR",
                                              "PY_INSTALL_DIR",
                                              "GLOBAL_SITE_PACKAGES",
                                              "ADDITIONAL_PYTHON_PATHS",
                                              "TRACING_PROXY_CA_CERT_PATH",
                                              "WORKER_DIR",
                                              "LANG",
                                              "NU_PATH",
                                              "CACHE_HASH",
                                              "MEMORY_LIMIT",
                                              "CPU_MS_PER_SEC",
                                              "DISK_LIMIT",
                                              "IFACE_NO_LO",
                                              "BUILD",
                                              "CARGO_HOME",
                                              "RUSTUP_HOME",
                                              "COMPOSER_CACHE_DIR",
                                              "CSHARP_CACHE_DIR",
                                              "DOTNET_ROOT",
                                              "ENGINE_DIR",
                                              "PKG_DIR",
                                              "PROJECT_DIR",
                                              "R_CACHE_DIR",
                                              "SANDBOX_DIR",
                                              "UV_CACHE_DIR",
                                              "WORKDIR",
                                              "TARGET",
                                              "TARGET_DIR"};
  return names;
}

// Placeholders Windmill fills with a relative path with folders: `{MAIN}`
// is the script's path in the workspace (`u/admin/my_script`), so inside a
// path it is a `relpath`, not a `name`.
const std::set<std::string>& relpaths() {
  static const std::set<std::string> names = {"MAIN"};
  return names;
}

const char* use_name(Use u) {
  switch (u) {
    case Use::PathStart: return "the start of a path";
    case Use::PathInside: return "inside a path";
    case Use::Text: return "a string";
    case Use::Size: return "a size";
    case Use::Duration: return "a duration";
    case Use::Count: return "a count";
    case Use::Bool: return "a bool";
  }
  return "?";
}

const Placeholder* first(const Translation& t, const std::string& name) {
  for (const Placeholder& p : t.cfg.pre.placeholders)
    if (p.name == name && p.slot != Slot::Fragment) return &p;
  return nullptr;
}

diag::Location where(const Translation& t, const std::string& name) {
  const Placeholder* p = first(t, name);
  if (p == nullptr) return {t.cfg.file, 0, 0, 1};
  return {t.cfg.file, p->line, p->column, static_cast<uint32_t>(name.size() + 2)};
}

// Capabilities kept (keep_caps or cap) while `clone_newuser: {X}` lets the
// worker turn the user namespace off: the capabilities would be the host's.
// The import stays faithful and the launcher is the side that refuses:
// `--param X=false` exits 121 before any set-up, with one line naming X
// (runtime/plan.cc). Said in the policy and as a note, so nobody meets it
// first at launch.
void caps_without_userns(Translation& t) {
  const Placeholder* user = t.cfg.bool_placeholder("clone_newuser");
  if (user == nullptr || t.draft.capabilities.empty()) return;
  std::string why = "with " + user->name + "=false the launcher refuses to start (exit 121): capabilities " +
                    "kept without a user namespace would be the host's";
  t.draft.capabilities.insert(t.draft.capabilities.begin(), Line{"", why, 0, {}, false});
  t.sink.note(t.cfg.at(t.cfg.config.keep_caps() ? "keep_caps" : "cap[0]"),
              "capabilities are kept and clone_newuser is {" + user->name + "}: " + why);
}

}  // namespace

void declare_params(Translation& t) {
  std::vector<std::string> order;
  for (const ParamUse& u : t.uses)
    if (std::find(order.begin(), order.end(), u.name) == order.end()) order.push_back(u.name);
  std::vector<ParamDecl> decls;
  for (const std::string& name : order) {
    if (t.draft.find_param(name)) continue;  // declared by a fragment
    std::set<Use> kinds;
    bool all_optional = true;
    std::set<std::string> notes;
    for (const ParamUse& u : t.uses) {
      if (u.name != name) continue;
      kinds.insert(u.use);
      all_optional = all_optional && u.only_if_present;
      if (!u.note.empty()) notes.insert(u.note);
    }
    std::string type;
    auto only = [&](std::initializer_list<Use> allowed) {
      for (Use k : kinds)
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) return false;
      return true;
    };
    if (kinds.count(Use::Bool)) type = "bool";
    else if (kinds.count(Use::Size)) type = "size";
    else if (kinds.count(Use::Duration)) type = "duration";
    else if (kinds.count(Use::Count)) type = "int";
    else if (kinds.count(Use::PathInside)) type = relpaths().count(name) ? "relpath" : "name";
    else if (kinds.count(Use::PathStart)) type = "path";
    else type = "string";
    bool consistent = type == "bool"                        ? only({Use::Bool})
                      : type == "size"                      ? only({Use::Size})
                      : type == "duration"                  ? only({Use::Duration})
                      : type == "int"                       ? only({Use::Count, Use::PathInside, Use::Text})
                      : type == "name" || type == "relpath" ? only({Use::PathInside, Use::Text})
                                                            : true;
    if (!consistent) {
      std::string uses;
      for (Use k : kinds) uses += std::string(uses.empty() ? "" : ", ") + use_name(k);
      t.sink.error(where(t, name), "placeholder {" + name + "} is used as " + uses + ": no one param type fits");
      continue;
    }
    ParamDecl d{name, type, false, {}, {}};
    if (type == "path" && all_optional) {
      d.optional = true;
      notes.insert("only used by optional binds: unset skips them");
    }
    if (type == "relpath") notes.insert("a path with folders, as Windmill gives it: u/admin/my_script");
    if (name == "CLONE_NEWUSER" && type == "bool") {
      d.default_text = "true";
      notes.insert("false when the worker runs without user namespaces");
    }
    for (const std::string& n : notes) d.comment += (d.comment.empty() ? "" : "; ") + n;
    if (!known().count(name))
      t.sink.warning(where(t, name), "unknown placeholder {" + name + "}: imported as a " + type + " param");
    decls.push_back(std::move(d));
  }
  t.draft.params.insert(t.draft.params.begin(), decls.begin(), decls.end());
  caps_without_userns(t);
}

}  // namespace stockade::nsjail
