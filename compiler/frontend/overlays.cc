// SPDX-License-Identifier: Apache-2.0
#include "frontend/overlays.h"

#include <string>

namespace stockade::frontend {

namespace {

using ast::spelled;

bool same_or_below(const std::string& inner, const std::string& outer) {
  return inner == outer ||
         (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 && inner[outer.size()] == '/');
}

class OverlayChecker {
 public:
  explicit OverlayChecker(diag::Sink& sink) : sink_(sink) {}

  void mount(const ast::MountStmt& m) {
    if (m.kind != ast::MountKind::Overlay) {
      if (!m.layer_words.empty())
        sink_.error(m.layer_words.front().loc, "'" + m.layer_words.front().text + "' only applies to overlay");
      return;
    }
    const std::string target = spelled(m.target);
    if (target == "/")
      sink_.error(m.target.loc, "overlay cannot be the root '/': overlay each directory below it instead");
    words(m);
    layers(m, target);
    options(m);
  }

 private:
  // Each of `upper` and `work` at most once.
  void words(const ast::MountStmt& m) {
    for (size_t i = 0; i < m.layer_words.size(); ++i) {
      const ast::Name& w = m.layer_words[i];
      if (w.text == "lower") continue;
      for (size_t j = 0; j < i; ++j) {
        if (m.layer_words[j].text != w.text) continue;
        sink_.error(w.loc, "overlay has a second '" + w.text + "'");
        break;
      }
    }
  }

  void layers(const ast::MountStmt& m, const std::string& target) {
    if (m.lower.empty()) sink_.error(m.target.loc, "overlay '" + target + "' needs at least one 'lower' directory");
    if (m.lower.size() > kMaxOverlayLowers)
      sink_.error(m.lower[kMaxOverlayLowers].loc, "overlay '" + target + "' has more than " +
                                                      std::to_string(kMaxOverlayLowers) +
                                                      " lower directories (the launcher's limit)");
    for (const ast::Text& l : m.lower) {
      // A path token may hold ':' (file names can); overlayfs's own list
      // syntax would split it, so ask for the spelling that cannot.
      for (const ast::Piece& p : l.pieces) {
        if (p.is_param || p.text.find(':') == std::string::npos) continue;
        sink_.error(l.loc, "overlay lower '" + spelled(l) + "' holds ':'; write 'lower A : B' for two layers");
        break;
      }
    }
    const ast::Loc* upper_word = word(m, "upper");
    const ast::Loc* work_word = word(m, "work");
    if (m.upper_tmpfs && m.work) {
      sink_.error(*work_word, "'upper tmpfs' makes its own work directory; drop 'work'");
    } else if (m.upper && !m.work) {
      sink_.error(*upper_word, "overlay upper needs a 'work' directory on the same filesystem");
    } else if (m.work && !m.upper && !m.upper_tmpfs) {
      sink_.error(*work_word, "overlay work needs an 'upper' directory");
    } else if (m.upper && m.work) {
      const std::string u = spelled(*m.upper), w = spelled(*m.work);
      if (same_or_below(w, u) || same_or_below(u, w))
        sink_.error(m.work->loc, "overlay work '" + w + "' and upper '" + u +
                                     "' must be separate directories, "
                                     "neither inside the other");
    }
  }

  void options(const ast::MountStmt& m) {
    for (const ast::MountOpt& o : m.opts) {
      switch (o.kind) {
        case ast::MountOptKind::Ro:
        case ast::MountOptKind::Rw:
          sink_.error(o.loc, "an overlay is read-only without 'upper' and read-write with one; drop '" +
                                 std::string(o.kind == ast::MountOptKind::Ro ? "ro" : "rw") + "'");
          break;
        case ast::MountOptKind::Suid:
        case ast::MountOptKind::Dev:
          sink_.error(o.loc, "an overlay is always nosuid and nodev; drop '" +
                                 std::string(o.kind == ast::MountOptKind::Suid ? "suid" : "dev") + "'");
          break;
        case ast::MountOptKind::Size:
          if (!m.upper_tmpfs) sink_.error(o.loc, "option 'size' on an overlay needs 'upper tmpfs'");
          break;
        case ast::MountOptKind::Nosuid:
        case ast::MountOptKind::Nodev:
        case ast::MountOptKind::Noexec:
        case ast::MountOptKind::Exec:
        case ast::MountOptKind::Mode:  // these three are refused by the type check
        case ast::MountOptKind::Within:
        case ast::MountOptKind::Follow:
        case ast::MountOptKind::Socket:  // refused on anything but a single bind (types.cc)
          break;
      }
    }
  }

  static const ast::Loc* word(const ast::MountStmt& m, const char* which) {
    for (const ast::Name& w : m.layer_words)
      if (w.text == which) return &w.loc;
    return nullptr;
  }

  diag::Sink& sink_;
};

}  // namespace

bool check_overlays(const ast::Program& program, const Scope& scope, diag::Sink& sink) {
  (void)program;
  size_t errors_before = sink.error_count();
  OverlayChecker checker(sink);
  for (const auto& [name, info] : scope.policies)
    for (const ast::Stmt& s : info.policy->body)
      if (const auto* m = std::get_if<ast::MountStmt>(&s.body)) checker.mount(*m);
  return sink.error_count() == errors_before;
}

}  // namespace stockade::frontend
