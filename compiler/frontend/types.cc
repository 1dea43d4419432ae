// SPDX-License-Identifier: Apache-2.0
#include "frontend/types.h"

#include "egress/endpoint.h"

#include <optional>
#include <string>

#include "diag/suggest.h"
#include "frontend/refs.h"
#include "frontend/units.h"
#include "vocab/names.h"
#include "vocab/numbers.h"
#include "vocab/system_dirs.h"
#include "vocab/units.h"

namespace stockade::frontend {

namespace {

// "a size", "an int", ... for messages.
std::string a(ParamType type) {
  return (type == ParamType::Int || type == ParamType::Endpoint ? "an " : "a ") + std::string(spelling(type));
}

// The numeric slot a numeric param fills; nullopt for the others.
std::optional<Slot> numeric_slot(ParamType type) {
  switch (type) {
    case ParamType::Int: return Slot::Count;
    case ParamType::Size: return Slot::Size;
    case ParamType::Duration: return Slot::Duration;
    case ParamType::Path:
    case ParamType::Name:
    case ParamType::String:
    case ParamType::Bool:
    case ParamType::RelPath:
    case ParamType::Volume:
    case ParamType::Endpoint: return std::nullopt;
  }
  return std::nullopt;
}

using vocab::UnitKind;

class TypeChecker {
 public:
  TypeChecker(const Scope& scope, diag::Sink& sink) : scope_(scope), sink_(sink) {}

  void policy(const PolicyInfo& info) {
    for (const ast::Stmt& s : info.policy->body) {
      if (const auto* decl = std::get_if<ast::ParamDecl>(&s.body)) {
        param(info, *decl);
        continue;
      }
      for_each_ref(s, [&](const Ref& ref) { reference(info, ref); });
      statement(s);
      if (const auto* m = std::get_if<ast::MountStmt>(&s.body)) each(info, *m);
    }
  }

  // `bind each ${LIST}`: a path list binds read-only at each value's own
  // path (or below `-> DIR`); a volume list binds at each value's target,
  // which `within` bounds. The references themselves are checked in reference().
  void each(const PolicyInfo& info, const ast::MountStmt& m) {
    const ast::MountOpt* rw = nullptr;
    bool within = false;
    for (const ast::MountOpt& o : m.opts) {
      if (o.kind == ast::MountOptKind::Rw) rw = &o;
      if (o.kind == ast::MountOptKind::Within) within = true;
      if (o.kind == ast::MountOptKind::Within && !m.each)
        sink_.error(o.loc, "option 'within' only applies to 'bind each'");
      if (o.kind == ast::MountOptKind::Follow && (m.kind != ast::MountKind::Bind || m.each))
        sink_.error(o.loc, "option 'follow' only applies to a single bind");
      if (o.kind == ast::MountOptKind::Socket && (m.kind != ast::MountKind::Bind || m.each))
        sink_.error(o.loc, "option 'socket' only applies to a single bind (the pathname socket the job connects to)");
    }
    for (const ast::MountOpt& o : m.opts) {
      if (o.kind != ast::MountOptKind::Within || o.path->pieces.size() != 1 || o.path->pieces[0].is_param) continue;
      const std::string& dir = o.path->pieces[0].text;
      if (vocab::is_system_dir(dir))
        sink_.error(o.path->loc, "'within " + dir + "': a caller-chosen target may not lie in a system directory");
    }
    if (!m.each) return;
    const ast::Text& src = *m.source;
    if (src.pieces.size() != 1 || !src.pieces[0].is_param) {
      sink_.error(src.loc, "'bind each' takes one list param as its source, as in 'bind each ${DEPS}'");
      return;
    }
    const ast::ParamDecl* p = info.param(src.pieces[0].text);
    std::optional<ParamType> t = p ? info.type(*p) : std::nullopt;
    if (!t || !p->list) return;  // reported by reference()
    if (*t == ParamType::Path && rw)
      sink_.error(rw->loc, "'bind each' of paths is read-only; a caller-chosen rw bind is a volume[] list");
    if (*t == ParamType::Volume && !within)
      sink_.error(src.loc, "'bind each' of volumes needs 'within DIR...': the directories a target may lie below");
    if (*t == ParamType::Volume && m.explicit_target)
      sink_.error(m.target.loc,
                  "a volume names its own target; write 'bind each ${" + p->name.text + "} rw within DIR'");
  }

 private:
  // `30sec`, `64mb`: the units a size or duration slot takes, in words.
  void unknown_unit(const ast::Quantity& q, Slot slot) {
    UnitKind kind = slot == Slot::Size ? UnitKind::Size : slot == Slot::Duration ? UnitKind::Duration : UnitKind::None;
    if (kind == UnitKind::None) {
      sink_.error(q.loc, "unknown unit '" + q.unit + "': a count takes no unit");
      return;
    }
    std::vector<std::string> names;
    for (const vocab::Unit& u : vocab::kUnits)
      if (u.kind == kind) names.emplace_back(u.name);
    std::string list;
    for (size_t i = 0; i < names.size(); ++i) list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    sink_.error(q.loc, std::string("unknown ") + (kind == UnitKind::Size ? "size" : "duration") + " unit '" + q.unit +
                           "'; use " + list + diag::did_you_mean(q.unit, names));
  }

  // The unit of a literal number against its slot.
  void literal(const ast::Quantity& q, Slot slot, bool allow_inf, bool allow_none) {
    using K = ast::Quantity::Kind;
    switch (q.kind) {
      case K::Param: return;  // checked as a reference
      case K::Inf:
        if (!allow_inf) sink_.error(q.loc, "'inf' is only allowed for rlimits and cgroup limits");
        return;
      case K::None:
        if (!allow_none) sink_.error(q.loc, "'none' is only allowed for time_limit");
        return;
      case K::Number: break;
    }
    if (!q.unit.empty() && vocab::find_unit(q.unit) == nullptr) {
      unknown_unit(q, slot);
      return;
    }
    if (!base_value(q)) {
      sink_.error(q.loc, "number '" + q.digits + q.unit + "' is too large");
      return;
    }
    UnitKind unit = vocab::unit_kind(q.unit);
    switch (slot) {
      case Slot::Size:
        if (unit == UnitKind::None) sink_.error(q.loc, "size needs a unit (" + vocab::unit_names(UnitKind::Size) + ")");
        else if (unit == UnitKind::Duration) sink_.error(q.loc, "expected a size, found a duration");
        return;
      case Slot::Duration:
        if (unit == UnitKind::None)
          sink_.error(q.loc, "duration needs a unit (" + vocab::unit_names(UnitKind::Duration) + ")");
        else if (unit == UnitKind::Size) sink_.error(q.loc, "expected a duration, found a size");
        return;
      case Slot::Count:
        if (unit != UnitKind::None) sink_.error(q.loc, "a count takes no unit");
        return;
      case Slot::PathStart:
      case Slot::PathInner:
      case Slot::String:
      case Slot::Guard:
      case Slot::ListSource: return;
    }
  }

  void statement(const ast::Stmt& s) {
    std::visit(
        [&](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, ast::TimeLimit>) {
            literal(b.value, Slot::Duration, false, true);
          } else if constexpr (std::is_same_v<T, ast::IdMapStmt>) {
            for (const ast::Quantity* q : {&b.inside, &b.outside, &b.count}) {
              literal(*q, Slot::Count, false, false);
              if (q->kind == ast::Quantity::Kind::Param) sink_.error(q->loc, "id maps cannot take a parameter");
            }
          } else if constexpr (std::is_same_v<T, ast::MountStmt>) {
            mount(b);
          } else if constexpr (std::is_same_v<T, ast::RlimitStmt>) {
            rlimit(b);
          } else if constexpr (std::is_same_v<T, ast::CgroupStmt>) {
            if (known_cgroup_limit(b.limit.text)) literal(b.value, cgroup_slot(b.limit.text), true, false);
          } else if constexpr (std::is_same_v<T, ast::ExpectStmt>) {
            if (b.text.empty())
              sink_.error(s.loc, "expect needs a syscall and a decision, as in 'expect ptrace -> ERRNO(1)'");
          } else if constexpr (std::is_same_v<T, ast::PassFd>) {
            literal(b.fd, Slot::Count, false, false);
            if (b.fd.kind == ast::Quantity::Kind::Param) sink_.error(b.fd.loc, "pass_fd cannot take a parameter");
          }
        },
        s.body);
    // These IR fields hold one value or a plain list, with no condition.
    const char* unconditional = nullptr;
    if (std::holds_alternative<ast::NoNewPrivs>(s.body)) unconditional = "no_new_privs";
    if (std::holds_alternative<ast::SessionStmt>(s.body)) unconditional = "session";
    if (std::holds_alternative<ast::CapStmt>(s.body)) unconditional = "capabilities";
    if (std::holds_alternative<ast::PassFd>(s.body)) unconditional = "pass_fd";
    if (unconditional && s.guard)
      sink_.error(s.guard->loc, std::string(unconditional) + " cannot depend on a parameter");
  }

  void mount(const ast::MountStmt& m) {
    using MK = ast::MountKind;
    for (const ast::MountOpt& o : m.opts) {
      switch (o.kind) {
        case ast::MountOptKind::Size:
          if (m.kind != MK::Tmpfs && m.kind != MK::Overlay) sink_.error(o.loc, "option 'size' only applies to tmpfs");
          literal(o.value, Slot::Size, false, false);
          break;
        case ast::MountOptKind::Mode:
          if (m.kind != MK::Tmpfs && m.kind != MK::File && m.kind != MK::Mkdir)
            sink_.error(o.loc, "option 'mode' only applies to tmpfs, file and mkdir");
          if (o.value.kind != ast::Quantity::Kind::Number || !o.value.unit.empty()) {
            sink_.error(o.value.loc, "mode takes octal digits, as with chmod");
          } else {
            std::optional<uint64_t> mode = vocab::parse_octal(o.value.digits);
            if (!mode || *mode > 07777)
              sink_.error(o.value.loc, "mode '" + o.value.digits + "' is not an octal mode up to 7777");
          }
          break;
        case ast::MountOptKind::Ro:
        case ast::MountOptKind::Rw:
        case ast::MountOptKind::Nosuid:
        case ast::MountOptKind::Suid:
        case ast::MountOptKind::Nodev:
        case ast::MountOptKind::Dev:
        case ast::MountOptKind::Noexec:
        case ast::MountOptKind::Exec:
          if (m.kind == MK::Symlink) sink_.error(o.loc, "a symlink takes no mount options");
          break;
        case ast::MountOptKind::Within:
        case ast::MountOptKind::Follow:
        case ast::MountOptKind::Socket: break;  // checked with `bind each`, in each()
      }
    }
  }

  void rlimit(const ast::RlimitStmt& r) {
    if (r.inherit || !known_rlimit(r.resource.text)) return;
    Slot slot = rlimit_slot(r.resource.text);
    for (const ast::Quantity* q : {&r.soft, &r.hard}) {
      if (q == &r.hard && !r.split) break;
      literal(*q, slot, true, false);
      if (r.resource.text != "cpu") continue;
      // The kernel counts CPU time in whole seconds; the IR field is seconds.
      if (q->kind == ast::Quantity::Kind::Param) sink_.error(q->loc, "rlimit cpu cannot take a parameter");
      else if (q->kind == ast::Quantity::Kind::Number && vocab::unit_kind(q->unit) == UnitKind::Duration &&
               base_value(*q) && *base_value(*q) % 1000 != 0)
        sink_.error(q->loc, "rlimit cpu must be whole seconds");
    }
  }

  void reference(const PolicyInfo& info, const Ref& ref) {
    const ast::ParamDecl* p = info.param(ref.name);
    std::optional<ParamType> type = p ? info.type(*p) : std::nullopt;
    if (!type) return;  // reported elsewhere
    const ParamType t = *type;
    const std::string name(spelling(t));
    const std::string quoted = "'" + ref.name + "'";
    if (p->list && ref.slot != Slot::ListSource) {
      sink_.error(ref.loc, "list param " + quoted + " can only be the source of 'bind each'");
      return;
    }
    switch (ref.slot) {
      case Slot::ListSource:
        if (!p->list) sink_.error(ref.loc, quoted + " is " + a(t) + ", not a list: declare it as '" + name + "[]'");
        else if (t != ParamType::Path && t != ParamType::Volume)
          sink_.error(ref.loc, "'bind each' takes path[] or volume[]; " + quoted + " is a list of " + name);
        return;
      case Slot::Guard:
        if (t != ParamType::Bool && !p->optional)
          sink_.error(ref.loc, "'if' needs a bool or optional param; " + quoted + " is a required " + name);
        return;
      case Slot::PathStart:
      case Slot::PathInner:
        switch (t) {
          case ParamType::Bool: sink_.error(ref.loc, "bool param " + quoted + " cannot be interpolated"); return;
          case ParamType::String:
          case ParamType::Size:
          case ParamType::Duration:
            sink_.error(ref.loc, name + " param " + quoted + " cannot be used in a path");
            return;
          case ParamType::Path:
            if (ref.slot == Slot::PathInner)
              sink_.error(ref.loc, "path param " + quoted + " may only stand at the start of a path");
            return;
          case ParamType::RelPath:
            if (ref.slot == Slot::PathStart)
              sink_.error(ref.loc, "relpath param " + quoted +
                                       " is relative: put it after a directory, as in '${JOB_DIR}/${" + ref.name +
                                       "}'");
            return;
          case ParamType::Volume:
            sink_.error(ref.loc, "volume param " + quoted + " can only be bound with 'bind each'");
            return;
          case ParamType::Endpoint:
            sink_.error(ref.loc, "endpoint param " + quoted + " can only stand in a 'network filtered' rule");
            return;
          case ParamType::Name:
          case ParamType::Int: return;
        }
        return;
      case Slot::String:
        if (t == ParamType::Bool) sink_.error(ref.loc, "bool param " + quoted + " cannot be interpolated");
        if (t == ParamType::Volume)
          sink_.error(ref.loc, "volume param " + quoted + " can only be bound with 'bind each'");
        if (t == ParamType::Endpoint)
          sink_.error(ref.loc, "endpoint param " + quoted + " can only stand in a 'network filtered' rule");
        return;
      case Slot::Size:
      case Slot::Duration:
      case Slot::Count: {
        ParamType want = ref.slot == Slot::Size       ? ParamType::Size
                         : ref.slot == Slot::Duration ? ParamType::Duration
                                                      : ParamType::Int;
        if (t != want) sink_.error(ref.loc, "param " + quoted + " is " + a(t) + ", but this slot takes " + a(want));
        return;
      }
    }
  }

  void param(const PolicyInfo& info, const ast::ParamDecl& d) {
    std::optional<ParamType> type = info.type(d);
    if (!type) {
      std::vector<std::string> types;
      for (const auto& [value, spelt] : kParamTypes) types.emplace_back(spelt);
      sink_.error(d.type.loc, "unknown param type '" + d.type.text + "' (expected " + spellings(kParamTypes) + ")" +
                                  diag::did_you_mean(d.type.text, types));
      return;
    }
    const ParamType t = *type;
    const std::string name(spelling(t));
    // A redeclaration may change the default, never the type.
    if (const PolicyInfo* parent = info.parent ? scope_.find(info.parent->name.text) : nullptr) {
      const ast::ParamDecl* old = parent->param(d.name.text);
      if (std::optional<ParamType> old_type = old ? parent->type(*old) : std::nullopt; old_type && *old_type != t) {
        sink_.error(d.type.loc, "param '" + d.name.text + "' redeclared as " + name + ", but policy '" +
                                    parent->policy->name.text + "' declares it as " + old->type.text);
        return;
      }
      if (old && !old->within.empty()) inherited_roots(d, *old, parent->policy->name.text);
    }
    roots(d, t);
    const std::optional<Slot> numeric = numeric_slot(t);
    const bool is_numeric = numeric.has_value();
    const Slot slot = numeric.value_or(Slot::Count);
    if ((d.lo || d.hi) && !is_numeric)
      sink_.error(d.lo->loc, name + " param '" + d.name.text + "' cannot have a range");
    std::optional<uint64_t> lo, hi;
    if (d.lo && is_numeric) {
      literal(*d.lo, slot, false, false);
      literal(*d.hi, slot, false, false);
      if (d.lo->kind == ast::Quantity::Kind::Number && d.hi->kind == ast::Quantity::Kind::Number) {
        lo = base_value(*d.lo);
        hi = base_value(*d.hi);
        if (lo && hi && *lo > *hi) sink_.error(d.lo->loc, "empty range: the low end is above the high end");
      }
    }
    bool has_default = d.def_quantity || d.def_text || d.def_bool;
    if (d.list && d.optional)
      sink_.error(d.type.loc, "list param '" + d.name.text + "' cannot be optional: left out, it is empty");
    if (d.list && has_default)
      sink_.error(d.def_loc, "list param '" + d.name.text + "' cannot have a default: left out, it is empty");
    if (d.list && t != ParamType::Path && t != ParamType::Volume && t != ParamType::Endpoint)
      sink_.error(d.type.loc, "a list param is path[], volume[] or endpoint[]");
    if (!d.list && t == ParamType::Volume)
      sink_.error(d.type.loc, "a volume param is a list: declare '" + d.name.text + " : volume[]'");
    if (d.list) return;
    if (!has_default) return;
    if (d.optional) {
      sink_.error(d.def_loc, "optional param '" + d.name.text + "' cannot have a default");
      return;
    }
    const std::string bad = "default of '" + d.name.text + "' is not " + a(t);
    switch (t) {
      case ParamType::Bool:
        if (!d.def_bool) sink_.error(d.def_loc, bad + ": write true or false");
        return;
      case ParamType::Int:
      case ParamType::Size:
      case ParamType::Duration: {
        if (!d.def_quantity || d.def_quantity->kind != ast::Quantity::Kind::Number) {
          sink_.error(d.def_loc, bad);
          return;
        }
        size_t before = sink_.error_count();
        literal(*d.def_quantity, slot, false, false);
        if (sink_.error_count() != before) return;
        std::optional<uint64_t> v = base_value(*d.def_quantity);
        if (v && ((lo && *v < *lo) || (hi && *v > *hi)))
          sink_.error(d.def_loc, "default of '" + d.name.text + "' is outside its range");
        return;
      }
      case ParamType::Path:
      case ParamType::Name:
      case ParamType::String:
      case ParamType::RelPath:
      case ParamType::Volume:
      case ParamType::Endpoint: break;
    }
    // path, name, string: a text without references.
    if (!d.def_text) {
      sink_.error(d.def_loc, bad);
      return;
    }
    std::string value;
    for (const ast::Piece& piece : d.def_text->pieces) {
      if (piece.is_param) {
        sink_.error(piece.loc, "a default cannot refer to a param");
        return;
      }
      value += piece.text;
    }
    switch (t) {
      case ParamType::Path:
        if (std::string why = vocab::path_problem(value); !why.empty()) sink_.error(d.def_loc, bad + ": " + why);
        else if (!d.within.empty() && !within_roots(value, d.within))
          sink_.error(d.def_loc, "default of '" + d.name.text + "' is not within " + root_list(d.within));
        return;
      case ParamType::Name:
        if (!vocab::valid_name(value)) sink_.error(d.def_loc, bad + ": use [A-Za-z0-9._-]+, not '.' or '..'");
        return;
      case ParamType::String:
        if (value.find('\0') != std::string::npos) sink_.error(d.def_loc, bad + ": it holds a NUL byte");
        return;
      case ParamType::RelPath:
        if (std::string why = vocab::relpath_problem(value); !why.empty()) sink_.error(d.def_loc, bad + ": " + why);
        return;
      case ParamType::Volume: return;  // a list: refused above
      case ParamType::Endpoint: {
        egress::Endpoint e;
        if (const char* why = egress::parse_endpoint(value, e)) sink_.error(d.def_loc, bad + ": " + why);
        return;
      }
      case ParamType::Int:
      case ParamType::Size:
      case ParamType::Duration:
      case ParamType::Bool: return;  // handled above
    }
  }

  // `within DIR...`: path params only, each root a literal absolute path.
  void roots(const ast::ParamDecl& d, ParamType t) {
    if (d.within.empty()) return;
    if (t != ParamType::Path) {
      sink_.error(d.within_loc, "'within' only applies to path params (path, path?, path[])");
      return;
    }
    for (const ast::Text& root : d.within) {
      if (root.pieces.size() != 1 || root.pieces[0].is_param) {
        sink_.error(root.loc, "a root of 'within' is a literal path; it cannot refer to a param");
        continue;
      }
      if (std::string why = vocab::path_problem(root.pieces[0].text); !why.empty())
        sink_.error(root.loc, "'within " + root.pieces[0].text + "': " + why);
    }
  }

  // A redeclaration keeps the parent's roots, or narrows them; never drops
  // or widens them.
  void inherited_roots(const ast::ParamDecl& d, const ast::ParamDecl& old, const std::string& parent) {
    if (d.within.empty()) {
      sink_.error(d.name.loc, "param '" + d.name.text + "' redeclared without 'within': policy '" + parent +
                                  "' limits it to " + root_list(old.within) + "; repeat the roots (or narrower ones)");
      return;
    }
    for (const ast::Text& root : d.within)
      if (root.pieces.size() == 1 && !root.pieces[0].is_param && !within_roots(root.pieces[0].text, old.within))
        sink_.error(root.loc, "'within " + root.pieces[0].text + "' widens param '" + d.name.text + "': policy '" +
                                  parent + "' limits it to " + root_list(old.within));
  }

  static bool at_or_below(const std::string& path, const std::string& root) {
    if (root == "/") return true;
    return path.compare(0, root.size(), root) == 0 && (path.size() == root.size() || path[root.size()] == '/');
  }

  static bool within_roots(const std::string& path, const std::vector<ast::Text>& roots) {
    for (const ast::Text& root : roots)
      if (root.pieces.size() == 1 && at_or_below(path, root.pieces[0].text)) return true;
    return false;
  }

  static std::string root_list(const std::vector<ast::Text>& roots) {
    std::string out;
    for (const ast::Text& root : roots) {
      if (!out.empty()) out += " or ";
      for (const ast::Piece& piece : root.pieces) out += piece.is_param ? "${" + piece.text + "}" : piece.text;
    }
    return out;
  }

  const Scope& scope_;
  diag::Sink& sink_;
};

}  // namespace

bool check_types(const ast::Program& program, const Scope& scope, diag::Sink& sink) {
  (void)program;
  size_t errors_before = sink.error_count();
  TypeChecker checker(scope, sink);
  for (const auto& [name, info] : scope.policies) checker.policy(info);
  return sink.error_count() == errors_before;
}

}  // namespace stockade::frontend
