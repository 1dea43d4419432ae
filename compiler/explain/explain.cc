// SPDX-License-Identifier: Apache-2.0
#include "explain/explain.h"

#include "egress/describe.h"

#include <cstdio>

#include "vocab/capabilities.h"
#include "vocab/units.h"

namespace stockade::explain {

namespace {

const char* type_name(ir::ParamType t) {
  switch (t) {
    case ir::PARAM_PATH: return "path";
    case ir::PARAM_NAME: return "name";
    case ir::PARAM_STRING: return "string";
    case ir::PARAM_INT: return "int";
    case ir::PARAM_SIZE: return "size";
    case ir::PARAM_DURATION: return "duration";
    case ir::PARAM_BOOL: return "bool";
    case ir::PARAM_RELPATH: return "relpath";
    case ir::PARAM_VOLUME: return "volume";
    case ir::PARAM_ENDPOINT: return "endpoint";
    case ir::ParamType_INT_MIN_SENTINEL_DO_NOT_USE_:
    case ir::ParamType_INT_MAX_SENTINEL_DO_NOT_USE_: break;
  }
  return "?";
}

using vocab::format_bytes;
using vocab::format_millis;

enum class Unit { Bytes, Millis, Seconds, Plain };

class Explainer {
 public:
  Explainer(const ir::PolicyIr& p, ExplainSeccomp mode) : p_(p), mode_(mode) {}

  std::string run() {
    line("policy " + p_.name() + (p_.parent().empty() ? "" : " (extends " + p_.parent() + ")"));
    params();
    namespaces();
    settings();
    mounts();
    limits();
    env();
    privileges();
    if (mode_ == ExplainSeccomp::Full) seccomp();
    return out_;
  }

 private:
  void line(const std::string& s) { out_ += s + "\n"; }

  std::string param_name(uint32_t i) const {
    // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
    return i < static_cast<uint32_t>(p_.params_size()) ? p_.params(static_cast<int>(i)).name()
                                                       : std::string("#").append(std::to_string(i));
  }

  // The type of the list param a `bind each` source names.
  ir::ParamType list_of(const ir::Template& t) const {
    if (t.segments_size() != 1 || !t.segments(0).has_param()) return ir::PARAM_PATH;
    return p_.params(static_cast<int>(t.segments(0).param())).type();
  }

  std::string text(const ir::Template& t) const {
    std::string out;
    for (const ir::Segment& s : t.segments()) out += s.has_param() ? "${" + param_name(s.param()) + "}" : s.literal();
    return out;
  }

  static std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '\n') out += "\\n";
      else if (c == '\t') out += "\\t";
      else if (c == '"' || c == '\\') out += std::string("\\") + c;
      else out += c;
    }
    return out + "\"";
  }

  std::string number(const ir::Number& n, Unit unit) const {
    if (n.infinity()) return "unlimited";
    if (n.from_param()) return std::string("${").append(param_name(n.param())).append("}");
    switch (unit) {
      case Unit::Bytes: return format_bytes(n.constant());
      case Unit::Millis: return format_millis(n.constant());
      case Unit::Seconds: return std::to_string(n.constant()) + " s";
      case Unit::Plain: break;
    }
    return std::to_string(n.constant());
  }

  // " [if A and not B and C is set]", or "" when the statement always applies.
  std::string when(const ir::When& w) const {
    std::string out;
    for (const ir::Cond& c : w.all()) {
      out += out.empty() ? " [if " : " and ";
      const std::string n = param_name(c.param());
      switch (c.kind()) {
        case ir::COND_TRUE: out += n; break;
        case ir::COND_FALSE: out += "not " + n; break;
        case ir::COND_SET: out += n + " is set"; break;
        case ir::COND_UNSET: out += n + " is unset"; break;
        case ir::CondKind_INT_MIN_SENTINEL_DO_NOT_USE_:
        case ir::CondKind_INT_MAX_SENTINEL_DO_NOT_USE_: break;
      }
    }
    return out.empty() ? out : out + "]";
  }

  std::string range_value(const ir::Param& q, int64_t v) const {
    if (q.type() == ir::PARAM_SIZE) return format_bytes(static_cast<uint64_t>(v));
    if (q.type() == ir::PARAM_DURATION) return format_millis(static_cast<uint64_t>(v));
    return std::to_string(v);
  }

  // Sizes and durations in units people read; the rest as written.
  static std::string default_value(const ir::Param& q) {
    const std::string& v = q.default_value();
    // The lowered text, as the launcher reads it: bytes; seconds, or "<n>ms".
    using vocab::UnitKind;
    if (q.type() == ir::PARAM_SIZE)
      if (std::optional<uint64_t> n = vocab::parse_quantity(v, UnitKind::Size, 1)) return format_bytes(*n);
    if (q.type() == ir::PARAM_DURATION)
      if (std::optional<uint64_t> n = vocab::parse_quantity(v, UnitKind::Duration, 1000)) return format_millis(*n);
    if (q.type() == ir::PARAM_INT || q.type() == ir::PARAM_BOOL) return v;
    return quoted(v);
  }

  void params() {
    if (p_.params_size() == 0) {
      line("parameters: none");
      return;
    }
    line("parameters:");
    for (const ir::Param& q : p_.params()) {
      std::string s = "  " + q.name() + ": " + type_name(q.type());
      if (q.has_range()) s += " in " + range_value(q, q.min()) + ".." + range_value(q, q.max());
      if (q.list()) s += "[], zero or more values (--param repeated, or --param-file)";
      else if (q.optional()) s += ", optional (statements using it are skipped when unset)";
      else if (q.has_default()) s += ", default " + default_value(q);
      else s += ", required";
      for (int w = 0; w < q.within_size(); ++w) s += (w == 0 ? ", within " : " or ") + q.within(w);
      line(s);
    }
  }

  static const char* ns_name(ir::Namespace ns) {
    switch (ns) {
      case ir::NS_USER: return "user";
      case ir::NS_MOUNT: return "mount";
      case ir::NS_PID: return "pid";
      case ir::NS_IPC: return "ipc";
      case ir::NS_UTS: return "uts";
      case ir::NS_NET: return "net";
      case ir::NS_CGROUP: return "cgroup";
      case ir::NS_TIME: return "time";
      case ir::Namespace_INT_MIN_SENTINEL_DO_NOT_USE_:
      case ir::Namespace_INT_MAX_SENTINEL_DO_NOT_USE_: break;
    }
    return "?";
  }

  void namespaces() {
    line("namespaces:");
    for (int n = ir::Namespace_MIN; n <= ir::Namespace_MAX; ++n) {
      ir::Namespace ns = static_cast<ir::Namespace>(n);
      if (ns == ir::NS_NET) continue;  // see network
      std::string s = std::string("  ") + ns_name(ns) + ": " + (ns == ir::NS_TIME ? "off" : "on") + " by default";
      for (const ir::NamespaceSetting& e : p_.namespaces())
        if (e.ns() == ns) s += std::string("; then ") + (e.enabled() ? "on" : "off") + when(e.when());
      line(s);
    }
  }

  static const char* network_name(ir::Network n) {
    switch (n) {
      case ir::NET_NONE: return "none (own network namespace, loopback down)";
      case ir::NET_LOOPBACK: return "loopback only (own network namespace, loopback up)";
      case ir::NET_HOST: return "host (the host's network namespace)";
      case ir::NET_FILTERED:
        return "filtered (the host's network namespace; outbound TCP and UDP by these rules, first match wins)";
      case ir::Network_INT_MIN_SENTINEL_DO_NOT_USE_:
      case ir::Network_INT_MAX_SENTINEL_DO_NOT_USE_: break;
    }
    return "?";
  }

  // Settings where the last applicable entry wins (a child's after its
  // parent's): the entries from the last unconditional one on, so each
  // setting is said once as it applies, with the conditional overrides
  // after it. (`show` prints these words.)
  template <typename Items>
  static int first_applying(const Items& items) {
    int first = 0;
    for (int i = 0; i < items.size(); ++i)
      if (items.Get(i).when().all().empty()) first = i;
    return first;
  }

  void text_settings(const char* label, const google::protobuf::RepeatedPtrField<ir::TextSetting>& items,
                     const std::string& fallback) {
    if (items.empty()) {
      line(std::string(label) + ": " + fallback);
      return;
    }
    for (int i = first_applying(items); i < items.size(); ++i)
      line(std::string(label) + ": " + text(items.Get(i).value()) + when(items.Get(i).when()));
  }

  void settings() {
    if (p_.network().empty()) line(std::string("network: ") + network_name(ir::NET_NONE) + " (default)");
    for (int i = first_applying(p_.network()); i < p_.network_size(); ++i) {
      const ir::NetworkSetting& n = p_.network(i);
      line(std::string("network: ") + network_name(n.mode()) + when(n.when()));
      if (n.mode() == ir::NET_FILTERED)
        for (const std::string& rule : egress::describe_rules(n, p_)) line("  " + rule);
    }
    for (const auto* maps : {&p_.uid_map(), &p_.gid_map()}) {
      const char* label = maps == &p_.uid_map() ? "uid map" : "gid map";
      if (maps->empty()) line(std::string(label) + ": inside 0 -> outside 65534, 1 id (default)");
      for (const ir::IdMap& m : *maps)
        line(std::string(label) + ": inside " + std::to_string(m.inside()) + " -> outside " +
             std::to_string(m.outside()) + ", " + std::to_string(m.count()) + (m.count() == 1 ? " id" : " ids") +
             when(m.when()));
    }
    text_settings("hostname", p_.hostname(), "(not set)");
    text_settings("cwd", p_.cwd(), "/ (default)");
    if (p_.time_limit_ms().empty()) line("time limit: none");
    for (int i = first_applying(p_.time_limit_ms()); i < p_.time_limit_ms_size(); ++i) {
      const ir::NumberSetting& t = p_.time_limit_ms(i);
      bool none = !t.value().from_param() && t.value().constant() == 0;
      line("time limit: " + (none ? std::string("none") : number(t.value(), Unit::Millis)) + when(t.when()));
    }
  }

  static const char* mount_kind(ir::MountKind k) {
    switch (k) {
      case ir::MOUNT_BIND: return "bind";
      case ir::MOUNT_TMPFS: return "tmpfs";
      case ir::MOUNT_PROC: return "proc";
      case ir::MOUNT_DEV_NODE: return "device";
      case ir::MOUNT_SYMLINK: return "symlink";
      case ir::MOUNT_FILE: return "file";
      case ir::MOUNT_MKDIR: return "mkdir";
      case ir::MOUNT_OVERLAY: return "overlay";
      case ir::MountKind_INT_MIN_SENTINEL_DO_NOT_USE_:
      case ir::MountKind_INT_MAX_SENTINEL_DO_NOT_USE_: break;
    }
    return "?";
  }

  // " of lower A : B, writes in ..." for an overlay.
  std::string overlay_layers(const ir::Overlay& o) const {
    std::string s = " of lower ";
    for (int i = 0; i < o.lower_size(); ++i) s += (i == 0 ? "" : " : ") + text(o.lower(i));
    if (o.upper_tmpfs()) s += ", writes in a fresh tmpfs";
    if (!o.upper().segments().empty()) s += ", writes in " + text(o.upper()) + " (work " + text(o.work()) + ")";
    return s;
  }

  void mounts() {
    if (p_.mounts().empty()) {
      line("mounts: none");
      return;
    }
    line("mounts, in order:");
    int n = 0;
    for (const ir::Mount& m : p_.mounts()) {
      std::string s = "  " + std::to_string(++n) + ". " + mount_kind(m.kind()) + " ";
      switch (m.kind()) {
        case ir::MOUNT_BIND:
          if (!m.each()) s += text(m.source()) + " -> " + text(m.target());
          else if (m.target().segments().empty())
            s += "each value of " + text(m.source()) +
                 (list_of(m.source()) == ir::PARAM_VOLUME ? " at the target it names" : " at its own path");
          else s += "each value of " + text(m.source()) + " -> " + text(m.target()) + "/<its last component>";
          break;
        case ir::MOUNT_SYMLINK: s += text(m.target()) + " pointing to " + text(m.source()); break;
        case ir::MOUNT_FILE: s += text(m.target()) + " holding " + quoted(text(m.content())); break;
        case ir::MOUNT_OVERLAY: s += text(m.target()) + overlay_layers(m.overlay()); break;
        case ir::MOUNT_TMPFS:
        case ir::MOUNT_PROC:
        case ir::MOUNT_DEV_NODE:
        case ir::MOUNT_MKDIR:
        case ir::MountKind_INT_MIN_SENTINEL_DO_NOT_USE_:
        case ir::MountKind_INT_MAX_SENTINEL_DO_NOT_USE_: s += text(m.target()); break;
      }
      if (m.kind() != ir::MOUNT_SYMLINK) {
        s += m.read_write() ? ", read-write" : ", read-only";
        if (m.nosuid()) s += ", nosuid";
        if (m.nodev()) s += ", nodev";
        if (m.noexec()) s += ", noexec";
      }
      if ((m.kind() == ir::MOUNT_TMPFS || m.kind() == ir::MOUNT_OVERLAY) &&
          (m.size().from_param() || m.size().constant() != 0))
        s += ", size " + number(m.size(), Unit::Bytes);
      if (m.mode() != 0) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%04o", m.mode());
        s += std::string(", mode ") + mode;
      }
      for (int w = 0; w < m.within_size(); ++w) s += (w == 0 ? ", its target below " : " or ") + text(m.within(w));
      if (!m.follow().segments().empty()) s += ", a link in its place followed only into " + text(m.follow());
      if (m.optional()) s += ", skipped if the source is missing";
      if (m.unix_socket())
        s += ", a unix socket the job connects to (lifts the unix-socket guard where Landlock cannot scope "
             "abstract sockets)";
      line(s + when(m.when()));
    }
  }

  static const char* rlimit_name(ir::Rlimit r) {
    switch (r) {
      case ir::RLIMIT_AS: return "as (address space)";
      case ir::RLIMIT_CORE: return "core (core file size)";
      case ir::RLIMIT_CPU: return "cpu (CPU time)";
      case ir::RLIMIT_FSIZE: return "fsize (file size)";
      case ir::RLIMIT_NOFILE: return "nofile (open files)";
      case ir::RLIMIT_NPROC: return "nproc (processes)";
      case ir::RLIMIT_STACK: return "stack";
      case ir::RLIMIT_MEMLOCK: return "memlock (locked memory)";
      case ir::RLIMIT_MSGQUEUE: return "msgqueue (POSIX message queues)";
      case ir::RLIMIT_RTPRIO: return "rtprio (real-time priority)";
      case ir::Rlimit_INT_MIN_SENTINEL_DO_NOT_USE_:
      case ir::Rlimit_INT_MAX_SENTINEL_DO_NOT_USE_: break;
    }
    return "?";
  }

  static Unit rlimit_unit(ir::Rlimit r) {
    if (r == ir::RLIMIT_CPU) return Unit::Seconds;
    if (r == ir::RLIMIT_NOFILE || r == ir::RLIMIT_NPROC || r == ir::RLIMIT_RTPRIO) return Unit::Plain;
    return Unit::Bytes;
  }

  void limits() {
    if (p_.rlimits().empty()) line("rlimits: all inherited from the launcher");
    else line("rlimits (others inherited from the launcher):");
    for (const ir::RlimitSetting& r : p_.rlimits()) {
      std::string s = std::string("  ") + rlimit_name(r.resource()) + ": ";
      Unit u = rlimit_unit(r.resource());
      if (r.inherit()) {
        s += "inherited";
      } else {
        std::string soft = number(r.soft(), u), hard = number(r.hard(), u);
        s += soft == hard ? soft : "soft " + soft + ", hard " + hard;
      }
      line(s + when(r.when()));
    }
    if (p_.cgroup().empty()) line("cgroup: no limits");
    else line("cgroup:");
    for (const ir::CgroupSetting& c : p_.cgroup()) {
      std::string s = "  ";
      switch (c.limit()) {
        case ir::CGROUP_MEMORY: s += "memory: " + number(c.value(), Unit::Bytes); break;
        case ir::CGROUP_MEMORY_SWAP: s += "memory + swap: " + number(c.value(), Unit::Bytes); break;
        case ir::CGROUP_PIDS: s += "processes: " + number(c.value(), Unit::Plain); break;
        case ir::CGROUP_CPU_MS_PER_SEC: s += "CPU: " + number(c.value(), Unit::Plain) + " ms per second"; break;
        case ir::CgroupLimit_INT_MIN_SENTINEL_DO_NOT_USE_:
        case ir::CgroupLimit_INT_MAX_SENTINEL_DO_NOT_USE_: break;
      }
      line(s + when(c.when()));
    }
  }

  void env() {
    if (p_.env().empty()) {
      line("environment: empty");
      return;
    }
    line("environment, starting empty:");
    for (const ir::EnvRule& e : p_.env()) {
      std::string s = "  ";
      switch (e.op()) {
        case ir::ENV_CLEAR: s += "clear everything so far"; break;
        case ir::ENV_KEEP: s += "keep the launcher's whole environment"; break;
        case ir::ENV_PASS: s += "pass " + e.name() + " from the launcher if set"; break;
        case ir::ENV_SET: s += "set " + e.name() + " = " + quoted(text(e.value())); break;
        case ir::ENV_UNSET: s += "unset " + e.name(); break;
        case ir::EnvOp_INT_MIN_SENTINEL_DO_NOT_USE_:
        case ir::EnvOp_INT_MAX_SENTINEL_DO_NOT_USE_: break;
      }
      line(s + when(e.when()));
    }
  }

  void privileges() {
    std::string caps;
    for (uint32_t c : p_.keep_caps()) caps += (caps.empty() ? "" : ", ") + vocab::capability_name(c);
    line("capabilities: " + (caps.empty() ? std::string("none") : caps));
    line(std::string("no_new_privs: ") + (p_.allow_new_privs() ? "off" : "on"));
    line(std::string("session: ") + (p_.session() == ir::SESSION_KEEP ? "keep (the job shares the launcher's session)"
                                                                      : "new (setsid, no controlling terminal)"));
    std::string fds;
    for (uint32_t fd : p_.pass_fds()) fds += (fds.empty() ? "" : ", ") + std::to_string(fd);
    line("file descriptors passed in: " + (fds.empty() ? std::string("none besides stdin, stdout, stderr") : fds));
  }

  void seccomp() {
    const ir::Seccomp& s = p_.seccomp();
    if (s.fragments().empty()) {
      line("seccomp: no filter");
    } else if (!s.explain().empty()) {
      // The seccomp stage's text carries its own heading.
      out_ += s.explain();
      if (s.explain().back() != '\n') out_ += '\n';
    } else {
      line("seccomp: a filter from " + std::to_string(s.fragments_size()) + " Kafel block(s)");
    }
    for (const ir::Expect& e : s.expects()) line("  expected: " + e.text());
  }

  const ir::PolicyIr& p_;
  ExplainSeccomp mode_;
  std::string out_;
};

}  // namespace

std::string explain(const ir::PolicyIr& policy, ExplainSeccomp seccomp) { return Explainer(policy, seccomp).run(); }

}  // namespace stockade::explain
