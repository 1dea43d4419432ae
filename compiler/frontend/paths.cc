// SPDX-License-Identifier: Apache-2.0
#include "frontend/paths.h"

#include <optional>
#include <string_view>

#include "vocab/devices.h"
#include "vocab/names.h"

namespace stockade::frontend {

namespace {

using ast::spelled;

class PathChecker {
 public:
  PathChecker(const PolicyInfo& info, diag::Sink& sink) : info_(info), sink_(sink) {}

  void run() {
    std::vector<std::pair<std::string, const ast::Stmt*>> targets;
    for (const ast::Stmt& s : info_.policy->body) {
      if (const auto* cwd = std::get_if<ast::Cwd>(&s.body)) absolute(cwd->path, "cwd");
      const auto* m = std::get_if<ast::MountStmt>(&s.body);
      if (!m) continue;
      for (const ast::MountOpt& o : m->opts)
        if (o.path) absolute(*o.path, o.kind == ast::MountOptKind::Within ? "within" : "follow");
      // `bind each ${LIST}`: each value's own path, checked by the launcher.
      if (m->each && !m->explicit_target) continue;
      bool target_ok = absolute(m->target, "mount target");
      if (m->explicit_target && m->source && m->kind == ast::MountKind::Bind && !m->each)
        absolute(*m->source, "bind source");
      if (m->kind == ast::MountKind::Dev) dev_node(m->target);
      for (const ast::Text& layer : m->lower) absolute(layer, "overlay lower");
      if (m->upper) absolute(*m->upper, "overlay upper");
      if (m->work) absolute(*m->work, "overlay work");
      if (!target_ok) continue;
      std::string key = spelled(m->target);
      for (const auto& [other, first] : targets) {
        if (other != key || exclusive(*first, s)) continue;
        sink_.error(m->target.loc, "two mounts on target '" + key + "' in policy '" + info_.policy->name.text + "'");
        sink_.note(std::get<ast::MountStmt>(first->body).target.loc, "the first is here");
        break;
      }
      targets.emplace_back(key, &s);
    }
  }

 private:
  // `if X` and `if !X` on the same param never apply together, so such a
  // pair never puts two mounts on one target.
  static bool exclusive(const ast::Stmt& a, const ast::Stmt& b) {
    return a.guard && b.guard && a.guard->param == b.guard->param && a.guard->negated != b.guard->negated;
  }

  // A path param stands for an absolute normalised path and a name or int
  // param for one component without '/', so checking the literal text with
  // placeholders checks every value the launcher can accept, with one
  // exception the build cannot see: a path param set to `/` in `${P}/x`
  // gives `//x`. Nothing is rejected for it here (every other value of P
  // works); the launcher checks the expanded path and refuses to start.
  bool absolute(const ast::Text& text, const std::string& what) {
    std::string shape;
    for (size_t i = 0; i < text.pieces.size(); ++i) {
      const ast::Piece& p = text.pieces[i];
      if (!p.is_param) {
        shape += p.text;
        continue;
      }
      const ast::ParamDecl* decl = info_.param(p.text);
      if (!decl) return true;  // unknown: reported by the name check
      // A relpath at the start is the type check's to report.
      std::optional<ParamType> t = info_.type(*decl);
      bool is_path = t == ParamType::Path || t == ParamType::RelPath;
      shape += is_path && i == 0 ? "/p" : "x";
    }
    std::string why = vocab::path_problem(shape);
    if (why.empty()) return true;
    const std::string written = spelled(text);
    if (why == "not an absolute path") sink_.error(text.loc, what + " '" + written + "' is not an absolute path");
    else sink_.error(text.loc, what + " '" + written + "' is not normalised: " + why);
    return false;
  }

  void dev_node(const ast::Text& text) {
    bool literal = text.pieces.size() == 1 && !text.pieces[0].is_param;
    if (literal && vocab::is_device_node(text.pieces[0].text)) return;
    sink_.error(text.loc, "dev takes only " + vocab::device_node_list());
  }

  const PolicyInfo& info_;
  diag::Sink& sink_;
};

}  // namespace

bool check_paths(const ast::Program& program, const Scope& scope, diag::Sink& sink) {
  (void)program;
  size_t errors_before = sink.error_count();
  for (const auto& [name, info] : scope.policies) PathChecker(info, sink).run();
  return sink.error_count() == errors_before;
}

}  // namespace stockade::frontend
