#include "frontend/paths.h"

#include <array>
#include <optional>
#include <string_view>

namespace stockade::frontend {

std::string path_problem(const std::string& path) {
  if (path.empty() || path[0] != '/') return "not an absolute path";
  if (path == "/") return "";
  if (path.find('\0') != std::string::npos) return "it holds a NUL byte";
  if (path.size() > 4095) return "longer than 4095 bytes";
  if (path.back() == '/') return "trailing '/'";
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    if (part.empty()) return "empty component ('//')";
    if (part == ".") return "'.' component";
    if (part == "..") return "'..' component";
    start = end + 1;
  }
  return "";
}

namespace {

constexpr std::array<std::string_view, 6> kDevNodes = {"/dev/null",   "/dev/zero",    "/dev/full",
                                                      "/dev/random", "/dev/urandom", "/dev/tty"};

// The text as written, ${X} included, for messages and target comparison.
std::string spelled(const ast::Text& t) {
  std::string out;
  for (const ast::Piece& p : t.pieces) out += p.is_param ? "${" + p.text + "}" : p.text;
  return out;
}

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
    std::string why = path_problem(shape);
    if (why.empty()) return true;
    const std::string written = spelled(text);
    if (why == "not an absolute path")
      sink_.error(text.loc, what + " '" + written + "' is not an absolute path");
    else
      sink_.error(text.loc, what + " '" + written + "' is not normalised: " + why);
    return false;
  }

  void dev_node(const ast::Text& text) {
    bool literal = text.pieces.size() == 1 && !text.pieces[0].is_param;
    if (literal)
      for (std::string_view node : kDevNodes)
        if (text.pieces[0].text == node) return;
    sink_.error(text.loc, "dev takes only /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom or /dev/tty");
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
