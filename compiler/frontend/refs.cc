// SPDX-License-Identifier: Apache-2.0
#include "frontend/refs.h"

#include <algorithm>

#include <type_traits>

namespace stockade::frontend {

const char* slot_name(Slot slot) {
  switch (slot) {
    case Slot::PathStart: return "path";
    case Slot::PathInner: return "path";
    case Slot::String: return "string";
    case Slot::Size: return "size";
    case Slot::Duration: return "duration";
    case Slot::Count: return "count";
    case Slot::Guard: return "condition";
    case Slot::ListSource: return "list";
  }
  return "?";
}

Slot rlimit_slot(const std::string& resource) {
  if (resource == "cpu") return Slot::Duration;
  if (resource == "nofile" || resource == "nproc" || resource == "rtprio") return Slot::Count;
  if (resource == "as" || resource == "core" || resource == "fsize" || resource == "stack" || resource == "memlock" ||
      resource == "msgqueue")
    return Slot::Size;
  return Slot::Count;
}

const std::vector<std::string>& rlimit_names() {
  static const std::vector<std::string> names = {"as",    "core",  "cpu",     "fsize",    "nofile",
                                                 "nproc", "stack", "memlock", "msgqueue", "rtprio"};
  return names;
}

const std::vector<std::string>& cgroup_limit_names() {
  static const std::vector<std::string> names = {"memory", "memory_swap", "pids", "cpu_ms_per_sec"};
  return names;
}

bool known_rlimit(const std::string& r) {
  const auto& names = rlimit_names();
  return std::find(names.begin(), names.end(), r) != names.end();
}

bool known_cgroup_limit(const std::string& l) {
  const auto& names = cgroup_limit_names();
  return std::find(names.begin(), names.end(), l) != names.end();
}

Slot cgroup_slot(const std::string& limit) {
  if (limit == "memory" || limit == "memory_swap") return Slot::Size;
  return Slot::Count;
}

namespace {

using Fn = std::function<void(const Ref&)>;

void path_refs(const ast::Text& text, const Fn& fn) {
  for (size_t i = 0; i < text.pieces.size(); ++i) {
    const ast::Piece& p = text.pieces[i];
    if (p.is_param) fn({p.text, p.loc, i == 0 ? Slot::PathStart : Slot::PathInner});
  }
}

void string_refs(const ast::Text& text, const Fn& fn) {
  for (const ast::Piece& p : text.pieces)
    if (p.is_param) fn({p.text, p.loc, Slot::String});
}

void quantity_ref(const ast::Quantity& q, Slot slot, const Fn& fn) {
  if (q.kind == ast::Quantity::Kind::Param) fn({q.param, q.loc, slot});
}

}  // namespace

void for_each_ref(const ast::Stmt& stmt, const Fn& fn) {
  std::visit(
      [&](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, ast::Hostname>) {
          string_refs(s.value, fn);
        } else if constexpr (std::is_same_v<T, ast::Cwd>) {
          path_refs(s.path, fn);
        } else if constexpr (std::is_same_v<T, ast::TimeLimit>) {
          quantity_ref(s.value, Slot::Duration, fn);
        } else if constexpr (std::is_same_v<T, ast::IdMapStmt>) {
          quantity_ref(s.inside, Slot::Count, fn);
          quantity_ref(s.outside, Slot::Count, fn);
          quantity_ref(s.count, Slot::Count, fn);
        } else if constexpr (std::is_same_v<T, ast::MountStmt>) {
          // A bind written with one path names it once; do not count it twice.
          bool list_source = s.each && s.source && s.source->pieces.size() == 1 && s.source->pieces[0].is_param;
          if (list_source) {
            fn({s.source->pieces[0].text, s.source->pieces[0].loc, Slot::ListSource});
            if (s.explicit_target) path_refs(s.target, fn);
          } else if (s.source && s.explicit_target) {
            if (s.kind == ast::MountKind::Symlink) {
              path_refs(s.target, fn);
              path_refs(*s.source, fn);
            } else {
              path_refs(*s.source, fn);
              path_refs(s.target, fn);
            }
          } else {
            path_refs(s.target, fn);
          }
          if (s.content) string_refs(*s.content, fn);
          for (const ast::Text& layer : s.lower) path_refs(layer, fn);
          if (s.upper) path_refs(*s.upper, fn);
          if (s.work) path_refs(*s.work, fn);
          for (const ast::MountOpt& o : s.opts) {
            if (o.kind == ast::MountOptKind::Size) quantity_ref(o.value, Slot::Size, fn);
            if (o.kind == ast::MountOptKind::Mode) quantity_ref(o.value, Slot::Count, fn);
            if (o.path) path_refs(*o.path, fn);  // within, follow
          }
        } else if constexpr (std::is_same_v<T, ast::RlimitStmt>) {
          if (!s.inherit) {
            Slot slot = rlimit_slot(s.resource.text);
            quantity_ref(s.soft, slot, fn);
            if (s.split) quantity_ref(s.hard, slot, fn);
          }
        } else if constexpr (std::is_same_v<T, ast::CgroupStmt>) {
          quantity_ref(s.value, cgroup_slot(s.limit.text), fn);
        } else if constexpr (std::is_same_v<T, ast::EnvStmt>) {
          if (s.op == ast::EnvOpKind::Set) string_refs(s.value, fn);
        } else if constexpr (std::is_same_v<T, ast::PassFd>) {
          quantity_ref(s.fd, Slot::Count, fn);
        }
      },
      stmt.body);
  if (stmt.guard) fn({stmt.guard->param, stmt.guard->loc, Slot::Guard});
}

}  // namespace stockade::frontend
