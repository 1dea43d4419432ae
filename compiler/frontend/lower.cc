// SPDX-License-Identifier: Apache-2.0
#include "frontend/lower.h"

#include <functional>
#include <set>

#include "frontend/network.h"
#include "frontend/refs.h"
#include "frontend/units.h"
#include "vocab/capabilities.h"
#include "vocab/numbers.h"

namespace stockade::frontend {

ir::Location to_ir(const ast::Loc& loc) {
  ir::Location out;
  out.set_file(loc.file);
  out.set_line(loc.line);
  out.set_column(loc.column);
  return out;
}

namespace {

ir::ParamType ir_type(ParamType t) {
  switch (t) {
    case ParamType::Path: return ir::PARAM_PATH;
    case ParamType::Name: return ir::PARAM_NAME;
    case ParamType::String: return ir::PARAM_STRING;
    case ParamType::Int: return ir::PARAM_INT;
    case ParamType::Size: return ir::PARAM_SIZE;
    case ParamType::Duration: return ir::PARAM_DURATION;
    case ParamType::Bool: return ir::PARAM_BOOL;
    case ParamType::RelPath: return ir::PARAM_RELPATH;
    case ParamType::Volume: return ir::PARAM_VOLUME;
    case ParamType::Endpoint: return ir::PARAM_ENDPOINT;
  }
  return ir::PARAM_PATH;
}

ir::Network ir_network(NetworkMode mode) {
  switch (mode) {
    case NetworkMode::None: return ir::NET_NONE;
    case NetworkMode::Loopback: return ir::NET_LOOPBACK;
    case NetworkMode::Host: return ir::NET_HOST;
    case NetworkMode::Filtered: return ir::NET_FILTERED;
  }
  return ir::NET_NONE;
}

ir::Session ir_session(SessionMode mode) {
  switch (mode) {
    case SessionMode::New: return ir::SESSION_NEW;
    case SessionMode::Keep: return ir::SESSION_KEEP;
  }
  return ir::SESSION_NEW;
}

ir::Namespace namespace_of(const std::string& n) {
  if (n == "mount") return ir::NS_MOUNT;
  if (n == "pid") return ir::NS_PID;
  if (n == "ipc") return ir::NS_IPC;
  if (n == "uts") return ir::NS_UTS;
  if (n == "net") return ir::NS_NET;
  if (n == "cgroup") return ir::NS_CGROUP;
  if (n == "time") return ir::NS_TIME;
  return ir::NS_USER;
}

ir::Rlimit rlimit_of(const std::string& n) {
  if (n == "core") return ir::RLIMIT_CORE;
  if (n == "cpu") return ir::RLIMIT_CPU;
  if (n == "fsize") return ir::RLIMIT_FSIZE;
  if (n == "nofile") return ir::RLIMIT_NOFILE;
  if (n == "nproc") return ir::RLIMIT_NPROC;
  if (n == "stack") return ir::RLIMIT_STACK;
  if (n == "memlock") return ir::RLIMIT_MEMLOCK;
  if (n == "msgqueue") return ir::RLIMIT_MSGQUEUE;
  if (n == "rtprio") return ir::RLIMIT_RTPRIO;
  return ir::RLIMIT_AS;
}

ir::CgroupLimit cgroup_of(const std::string& n) {
  if (n == "memory_swap") return ir::CGROUP_MEMORY_SWAP;
  if (n == "pids") return ir::CGROUP_PIDS;
  if (n == "cpu_ms_per_sec") return ir::CGROUP_CPU_MS_PER_SEC;
  return ir::CGROUP_MEMORY;
}

// The command-line text form of a default, which the launcher parses.
std::string default_text(const ast::ParamDecl& d, ParamType type) {
  if (d.def_bool) return *d.def_bool ? "true" : "false";
  if (d.def_text) {
    std::string out;
    for (const ast::Piece& p : d.def_text->pieces) out += p.text;
    return out;
  }
  uint64_t v = base_value(*d.def_quantity).value_or(0);
  if (type == ParamType::Duration) return v % 1000 == 0 ? std::to_string(v / 1000) : std::to_string(v) + "ms";
  return std::to_string(v);  // bytes for sizes, plain for ints
}

class Lowerer {
 public:
  Lowerer(const PolicyInfo& info, diag::Sink& sink) : info_(info), sink_(sink) {}

  LoweredBody run() {
    for (const ast::ParamDecl* d : info_.params) param(*d);
    for (const ast::Stmt& s : info_.policy->body) statement(s);
    return std::move(out_);
  }

 private:
  uint32_t index(const std::string& name) const { return static_cast<uint32_t>(info_.param_index(name)); }

  // The checks passed, so every word is resolved.
  ParamType type(const ast::ParamDecl& d) const { return info_.param_types.at(&d); }

  void param(const ast::ParamDecl& d) {
    ir::Param* p = out_.ir.add_params();
    p->set_name(d.name.text);
    p->set_type(ir_type(type(d)));
    p->set_optional(d.optional);
    p->set_list(d.list);
    if (d.def_bool || d.def_text || d.def_quantity) {
      p->set_has_default(true);
      p->set_default_value(default_text(d, type(d)));
    }
    if (d.lo && d.hi) {
      p->set_has_range(true);
      p->set_min(static_cast<int64_t>(base_value(*d.lo).value_or(0)));
      p->set_max(static_cast<int64_t>(base_value(*d.hi).value_or(0)));
    }
    for (const ast::Text& root : d.within)
      for (const ast::Piece& piece : root.pieces) p->add_within(piece.text);  // one literal piece (types.cc)
    *p->mutable_location() = to_ir(d.name.loc);
  }

  ir::Template text(const ast::Text& t) const {
    ir::Template out;
    for (const ast::Piece& piece : t.pieces) {
      if (piece.is_param) out.add_segments()->set_param(index(piece.text));
      else out.add_segments()->set_literal(piece.text);
    }
    return out;
  }

  ir::Number number(const ast::Quantity& q, uint64_t divisor = 1) const {
    ir::Number out;
    switch (q.kind) {
      case ast::Quantity::Kind::Number: out.set_constant(base_value(q).value_or(0) / divisor); break;
      case ast::Quantity::Kind::Inf: out.set_infinity(true); break;
      case ast::Quantity::Kind::None: out.set_constant(0); break;
      case ast::Quantity::Kind::Param:
        out.set_from_param(true);
        out.set_param(index(q.param));
        break;
    }
    return out;
  }

  // The explicit guard, then one COND_SET per optional param the statement uses.
  ir::When when(const ast::Stmt& s) const {
    ir::When out;
    std::set<std::pair<uint32_t, int>> seen;
    auto add = [&](uint32_t param, ir::CondKind kind) {
      if (!seen.insert({param, kind}).second) return;
      ir::Cond* c = out.add_all();
      c->set_param(param);
      c->set_kind(kind);
    };
    if (s.guard) {
      const ast::ParamDecl* d = info_.param(s.guard->param);
      uint32_t i = index(s.guard->param);
      if (type(*d) == ParamType::Bool) add(i, s.guard->negated ? ir::COND_FALSE : ir::COND_TRUE);
      else add(i, s.guard->negated ? ir::COND_UNSET : ir::COND_SET);
    }
    for_each_ref(s, [&](const Ref& ref) {
      if (ref.slot == Slot::Guard) return;
      const ast::ParamDecl* d = info_.param(ref.name);
      if (d && d->optional) add(index(ref.name), ir::COND_SET);
    });
    return out;
  }

  void statement(const ast::Stmt& s) {
    ir::PolicyIr& ir = out_.ir;
    const ir::Location at = to_ir(s.loc);
    std::visit(
        [&](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, ast::Hostname> || std::is_same_v<T, ast::Cwd>) {
            ir::TextSetting* t = std::is_same_v<T, ast::Hostname> ? ir.add_hostname() : ir.add_cwd();
            if constexpr (std::is_same_v<T, ast::Hostname>) *t->mutable_value() = text(b.value);
            else *t->mutable_value() = text(b.path);
            *t->mutable_when() = when(s);
            *t->mutable_location() = at;
          } else if constexpr (std::is_same_v<T, ast::TimeLimit>) {
            ir::NumberSetting* n = ir.add_time_limit_ms();
            *n->mutable_value() = number(b.value);
            *n->mutable_when() = when(s);
            *n->mutable_location() = at;
          } else if constexpr (std::is_same_v<T, ast::NetworkStmt>) {
            ir::NetworkSetting* n = ir.add_network();
            n->set_mode(ir_network(info_.network_modes.at(&b)));
            if (b.rules) lower_filter_rules(info_, *b.rules, *n);
            *n->mutable_when() = when(s);
            *n->mutable_location() = at;
          } else if constexpr (std::is_same_v<T, ast::NamespaceStmt>) {
            ir::NamespaceSetting* n = ir.add_namespaces();
            n->set_ns(namespace_of(b.ns.text));
            n->set_enabled(b.on);
            *n->mutable_when() = when(s);
            *n->mutable_location() = at;
          } else if constexpr (std::is_same_v<T, ast::IdMapStmt>) {
            ir::IdMap* m = b.gid ? ir.add_gid_map() : ir.add_uid_map();
            m->set_inside(static_cast<uint32_t>(number(b.inside).constant()));
            m->set_outside(static_cast<uint32_t>(number(b.outside).constant()));
            m->set_count(static_cast<uint32_t>(number(b.count).constant()));
            *m->mutable_when() = when(s);
            *m->mutable_location() = at;
          } else if constexpr (std::is_same_v<T, ast::MountStmt>) {
            mount(b, s, at);
          } else if constexpr (std::is_same_v<T, ast::RlimitStmt>) {
            rlimit(b, s, at);
          } else if constexpr (std::is_same_v<T, ast::CgroupStmt>) {
            ir::CgroupSetting* c = ir.add_cgroup();
            c->set_limit(cgroup_of(b.limit.text));
            *c->mutable_value() = number(b.value);
            *c->mutable_when() = when(s);
            *c->mutable_location() = at;
          } else if constexpr (std::is_same_v<T, ast::EnvStmt>) {
            ir::EnvRule* e = ir.add_env();
            switch (b.op) {
              case ast::EnvOpKind::Clear: e->set_op(ir::ENV_CLEAR); break;
              case ast::EnvOpKind::Keep: e->set_op(ir::ENV_KEEP); break;
              case ast::EnvOpKind::Pass: e->set_op(ir::ENV_PASS); break;
              case ast::EnvOpKind::Set: e->set_op(ir::ENV_SET); break;
              case ast::EnvOpKind::Unset: e->set_op(ir::ENV_UNSET); break;
            }
            e->set_name(b.name.text);
            if (b.op == ast::EnvOpKind::Set) *e->mutable_value() = text(b.value);
            *e->mutable_when() = when(s);
            *e->mutable_location() = at;
          } else if constexpr (std::is_same_v<T, ast::CapStmt>) {
            uint32_t cap = static_cast<uint32_t>(vocab::capability_number(b.cap.text));
            bool present = false;
            for (uint32_t c : ir.keep_caps()) present = present || c == cap;
            if (!present) ir.add_keep_caps(cap);
          } else if constexpr (std::is_same_v<T, ast::NoNewPrivs>) {
            out_.allow_new_privs = !b.on;
            ir.set_allow_new_privs(!b.on);
          } else if constexpr (std::is_same_v<T, ast::SessionStmt>) {
            out_.session = ir_session(info_.session_modes.at(&b));
            ir.set_session(*out_.session);
          } else if constexpr (std::is_same_v<T, ast::PassFd>) {
            ir.add_pass_fds(static_cast<uint32_t>(number(b.fd).constant()));
          } else if constexpr (std::is_same_v<T, ast::SeccompBlock>) {
            ir::SeccompFragment f;
            f.set_text(b.text);
            *f.mutable_location() = to_ir(b.body);
            out_.seccomp = f;
          } else if constexpr (std::is_same_v<T, ast::ExpectStmt>) {
            ir::Expect* e = ir.mutable_seccomp()->add_expects();
            e->set_text(b.text);
            *e->mutable_location() = to_ir(b.loc);
            e->set_policy(info_.policy->name.text);
          } else if constexpr (std::is_same_v<T, ast::ParamDecl>) {
            // Lowered with the whole table in run().
          }
        },
        s.body);
  }

  void mount(const ast::MountStmt& b, const ast::Stmt& s, const ir::Location& at) {
    ir::Mount* m = out_.ir.add_mounts();
    switch (b.kind) {
      case ast::MountKind::Bind:
        m->set_kind(ir::MOUNT_BIND);
        m->set_nosuid(true);
        m->set_nodev(true);
        break;
      case ast::MountKind::Tmpfs:
        m->set_kind(ir::MOUNT_TMPFS);
        m->set_read_write(true);
        m->set_nosuid(true);
        m->set_nodev(true);
        break;
      case ast::MountKind::Proc:
        m->set_kind(ir::MOUNT_PROC);
        m->set_read_write(true);
        m->set_nosuid(true);
        m->set_nodev(true);
        m->set_noexec(true);
        break;
      case ast::MountKind::Dev:
        m->set_kind(ir::MOUNT_DEV_NODE);
        m->set_read_write(true);
        m->set_nosuid(true);
        break;
      case ast::MountKind::Symlink: m->set_kind(ir::MOUNT_SYMLINK); break;
      case ast::MountKind::File:
        // A file the policy wrote: read-only to the job like a bind.
        m->set_kind(ir::MOUNT_FILE);
        m->set_nosuid(true);
        m->set_nodev(true);
        break;
      case ast::MountKind::Mkdir:
        m->set_kind(ir::MOUNT_MKDIR);
        m->set_read_write(true);
        m->set_nosuid(true);
        m->set_nodev(true);
        break;
      case ast::MountKind::Overlay: overlay(b, *m); break;
    }
    if (b.source) *m->mutable_source() = text(*b.source);
    // `bind each ${LIST}` without `->`: each value at its own path (empty target).
    if (!b.each || b.explicit_target) *m->mutable_target() = text(b.target);
    m->set_each(b.each);
    if (b.content) *m->mutable_content() = text(*b.content);
    m->set_optional(b.optional);
    for (const ast::MountOpt& o : b.opts) {
      switch (o.kind) {
        case ast::MountOptKind::Ro: m->set_read_write(false); break;
        case ast::MountOptKind::Rw: m->set_read_write(true); break;
        case ast::MountOptKind::Nosuid: m->set_nosuid(true); break;
        case ast::MountOptKind::Suid: m->set_nosuid(false); break;
        case ast::MountOptKind::Nodev: m->set_nodev(true); break;
        case ast::MountOptKind::Dev: m->set_nodev(false); break;
        case ast::MountOptKind::Noexec: m->set_noexec(true); break;
        case ast::MountOptKind::Exec: m->set_noexec(false); break;
        case ast::MountOptKind::Size: *m->mutable_size() = number(o.value); break;
        case ast::MountOptKind::Mode:
          m->set_mode(static_cast<uint32_t>(vocab::parse_octal(o.value.digits).value_or(0)));
          break;
        case ast::MountOptKind::Within: *m->add_within() = text(*o.path); break;
        case ast::MountOptKind::Follow: *m->mutable_follow() = text(*o.path); break;
        case ast::MountOptKind::Socket: m->set_unix_socket(true); break;
      }
    }
    *m->mutable_when() = when(s);
    *m->mutable_location() = at;
  }

  // The kernel refuses a read-only overlay of a single layer ("at least 2
  // lowerdir are needed while upperdir nonexistent"), and it would be a
  // read-only view of one directory anyway: that is a bind, so it becomes one.
  void overlay(const ast::MountStmt& b, ir::Mount& m) const {
    m.set_nosuid(true);
    m.set_nodev(true);
    bool upper = b.upper || b.upper_tmpfs;
    if (!upper && b.lower.size() == 1) {
      m.set_kind(ir::MOUNT_BIND);
      *m.mutable_source() = text(b.lower[0]);
      return;
    }
    m.set_kind(ir::MOUNT_OVERLAY);
    m.set_read_write(upper);
    ir::Overlay* o = m.mutable_overlay();
    for (const ast::Text& l : b.lower) *o->add_lower() = text(l);
    if (b.upper) *o->mutable_upper() = text(*b.upper);
    if (b.work) *o->mutable_work() = text(*b.work);
    o->set_upper_tmpfs(b.upper_tmpfs.has_value());
  }

  void rlimit(const ast::RlimitStmt& b, const ast::Stmt& s, const ir::Location& at) {
    auto add = [&](ir::Rlimit resource) {
      ir::RlimitSetting* r = out_.ir.add_rlimits();
      r->set_resource(resource);
      r->set_inherit(b.inherit);
      if (!b.inherit) {
        // RLIMIT_CPU is whole seconds; the type check made sure the value is.
        uint64_t divisor = resource == ir::RLIMIT_CPU ? 1000 : 1;
        *r->mutable_soft() = number(b.soft, divisor);
        *r->mutable_hard() = number(b.split ? b.hard : b.soft, divisor);
      }
      *r->mutable_when() = when(s);
      *r->mutable_location() = at;
    };
    if (b.inherit && b.resource.text == "all") {
      for (int r = ir::Rlimit_MIN; r <= ir::Rlimit_MAX; ++r) add(static_cast<ir::Rlimit>(r));
    } else {
      add(rlimit_of(b.resource.text));
    }
  }

  const PolicyInfo& info_;
  diag::Sink& sink_;
  LoweredBody out_;
};

}  // namespace

LoweredBody lower_body(const PolicyInfo& info, diag::Sink& sink) { return Lowerer(info, sink).run(); }

std::vector<ir::SeccompFragment> shared_seccomp(const ast::Program& program, size_t file) {
  std::vector<ir::SeccompFragment> out;
  std::set<size_t> seen;
  std::function<void(size_t)> walk = [&](size_t f) {
    if (!seen.insert(f).second) return;
    const ast::File& src = program.files[f];
    for (long inc : src.resolved)
      if (inc >= 0) walk(static_cast<size_t>(inc));
    for (const ast::SeccompBlock& b : src.seccomp) {
      ir::SeccompFragment frag;
      frag.set_text(b.text);
      *frag.mutable_location() = to_ir(b.body);
      out.push_back(std::move(frag));
    }
  };
  walk(file);
  return out;
}

}  // namespace stockade::frontend
