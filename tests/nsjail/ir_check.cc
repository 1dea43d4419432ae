// SPDX-License-Identifier: Apache-2.0
#include "ir_check.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "vocab/capabilities.h"
#include "vocab/devices.h"
#include "vocab/numbers.h"

namespace stockade::nsjail::test {
namespace {

constexpr uint64_t kMiB = 1ULL << 20;
class Checker {
 public:
  Checker(const ParsedConfig& cfg, const ir::PolicyIr& ir, const Scenario& s) : cfg_(cfg), ir_(ir), s_(s) {}

  std::vector<std::string> run() {
    settings();
    namespaces();
    id_maps();
    mounts();
    rlimits();
    cgroups();
    env();
    process();
    lists();
    return problems_;
  }

 private:
  const ParsedConfig& cfg_;
  const ir::PolicyIr& ir_;
  const Scenario& s_;
  std::vector<std::string> problems_;

  void fail(const std::string& what) { problems_.push_back(what); }

  // --- the IR side under the scenario ---
  bool bool_value(const std::string& name) const {
    auto it = s_.bool_overrides.find(name);
    return it == s_.bool_overrides.end() ? s_.bools : it->second;
  }
  bool is_set(uint32_t param) const { return !ir_.params(static_cast<int>(param)).optional() || s_.optionals_set; }
  bool holds(const ir::When& w) const {
    for (const ir::Cond& c : w.all()) {
      const std::string& name = ir_.params(static_cast<int>(c.param())).name();
      bool ok = c.kind() == ir::COND_TRUE    ? bool_value(name)
                : c.kind() == ir::COND_FALSE ? !bool_value(name)
                : c.kind() == ir::COND_SET   ? is_set(c.param())
                                             : !is_set(c.param());
      if (!ok) return false;
    }
    return true;
  }
  bool all_set(const ir::Template& t) const {
    for (const ir::Segment& seg : t.segments())
      if (seg.has_param() && !is_set(seg.param())) return false;
    return true;
  }
  std::string text(const ir::Template& t) const {
    std::string out;
    for (const ir::Segment& seg : t.segments())
      out += seg.has_param() ? "{" + ir_.params(static_cast<int>(seg.param())).name() + "}" : seg.literal();
    return out;
  }
  std::string number(const ir::Number& n) const {
    if (n.infinity()) return "inf";
    if (n.from_param()) return "{" + ir_.params(static_cast<int>(n.param())).name() + "}";
    return std::to_string(n.constant());
  }
  template <typename Settings>
  auto last(const Settings& all) const -> const typename Settings::value_type* {
    const typename Settings::value_type* found = nullptr;
    for (const auto& s : all)
      if (holds(s.when())) found = &s;
    return found;
  }

  // --- the nsjail side ---
  std::string restore(const std::string& raw) const {
    std::string out;
    for (const Piece& p : split_tokens(raw, cfg_.pre)) out += p.is_param ? "{" + p.text + "}" : p.text;
    return out;
  }
  static std::string norm(std::string p) {
    std::string out;
    for (char c : p)
      if (!(c == '/' && !out.empty() && out.back() == '/')) out += c;
    if (out.size() > 1 && out.back() == '/') out.pop_back();
    return out;
  }
  bool flag(const std::string& key, bool value) const {
    const Placeholder* p = cfg_.bool_placeholder(key);
    return p ? bool_value(p->name) : value;
  }
  // An nsjail number in `unit`s as the IR shows it: "{NAME}" for a placeholder.
  std::string expected_number(uint64_t v, uint64_t unit) const {
    if (auto id = integer_token_id(v, cfg_.pre)) return "{" + cfg_.pre.placeholders[*id].name + "}";
    return std::to_string(v * unit);
  }
  bool uses_optional(const std::string& restored) const {
    for (const ir::Param& p : ir_.params())
      if (p.optional() && restored.find("{" + p.name() + "}") != std::string::npos) return true;
    return false;
  }
  bool has_fragment(const std::string& name) const {
    for (const Placeholder& p : cfg_.pre.placeholders)
      if (p.slot == Slot::Fragment && p.name == name) return true;
    return false;
  }

  void settings() {
    const auto& c = cfg_.config;
    const auto* h = last(ir_.hostname());
    std::string want_host = c.has_hostname() ? restore(c.hostname()) : "NSJAIL";
    if (!h || text(h->value()) != want_host) fail("hostname: want " + want_host);
    const auto* cwd = last(ir_.cwd());
    std::string want_cwd = c.has_cwd() ? norm(restore(c.cwd())) : "/";
    if (!cwd || text(cwd->value()) != want_cwd) fail("cwd: want " + want_cwd);
    const auto* tl = last(ir_.time_limit_ms());
    std::string want_tl = !c.has_time_limit() ? "600000" : expected_number(c.time_limit(), 1000);
    std::string got_tl = tl ? number(tl->value()) : "none";
    if (c.has_time_limit() && c.time_limit() == 0) {
      if (tl && got_tl != "0" && got_tl != "inf") fail("time_limit: want none, got " + got_tl);
    } else if (got_tl != want_tl) {
      fail("time_limit_ms: want " + want_tl + ", got " + got_tl);
    }
    bool newnet = flag("clone_newnet", c.clone_newnet()), no_lo = flag("iface_no_lo", c.iface_no_lo());
    ir::Network want_net = !newnet ? ir::NET_HOST : no_lo ? ir::NET_NONE : ir::NET_LOOPBACK;
    const auto* net = last(ir_.network());
    ir::Network got_net = net ? net->mode() : ir::NET_NONE;
    if (got_net != want_net) fail("network: want " + ir::Network_Name(want_net) + ", got " + ir::Network_Name(got_net));
  }

  void namespaces() {
    const auto& c = cfg_.config;
    struct Ns {
      ir::Namespace ns;
      const char* key;
      bool value;
    };
    for (const Ns& n :
         {Ns{ir::NS_USER, "clone_newuser", c.clone_newuser()}, Ns{ir::NS_MOUNT, "clone_newns", c.clone_newns()},
          Ns{ir::NS_PID, "clone_newpid", c.clone_newpid()}, Ns{ir::NS_IPC, "clone_newipc", c.clone_newipc()},
          Ns{ir::NS_UTS, "clone_newuts", c.clone_newuts()}, Ns{ir::NS_CGROUP, "clone_newcgroup", c.clone_newcgroup()},
          Ns{ir::NS_TIME, "clone_newtime", c.clone_newtime()}}) {
      bool want = flag(n.key, n.value);
      bool got = n.ns != ir::NS_TIME;  // the language's default: all on but time
      for (const auto& set : ir_.namespaces())
        if (set.ns() == n.ns && holds(set.when())) got = set.enabled();
      if (got != want) fail(std::string(n.key) + ": want " + (want ? "on" : "off"));
    }
  }

  void id_maps() {
    const auto& c = cfg_.config;
    bool userns = flag("clone_newuser", c.clone_newuser());
    auto check = [&](const char* what, const auto& maps, const auto& got_all) {
      std::vector<std::string> want, got;
      for (const auto& m : maps)
        want.push_back((m.inside_id().empty() ? "0" : m.inside_id()) + " " +
                       (m.outside_id().empty() ? "0" : m.outside_id()) + " " + std::to_string(m.count()));
      if (maps.empty() && userns) want.push_back("0 0 1");  // nsjail: the caller's id on both sides
      for (const auto& m : got_all)
        if (holds(m.when()))
          got.push_back(std::to_string(m.inside()) + " " + std::to_string(m.outside()) + " " +
                        std::to_string(m.count()));
      if (userns && want != got) fail(std::string(what) + ": maps differ");
    };
    check("uidmap", c.uidmap(), ir_.uid_map());
    check("gidmap", c.gidmap(), ir_.gid_map());
  }

  void mounts() {
    const auto& c = cfg_.config;
    struct Want {
      ir::MountKind kind;
      std::string source, target, content;
      bool rw, optional, noexec;
      std::string size;  // TMPFS: bytes or {NAME}; "" = not checked
    };
    std::vector<Want> want;
    for (int i = 0; i < c.mount_size(); ++i) {
      const auto& m = c.mount(i);
      if (!m.prefix_src_env().empty() || !m.prefix_dst_env().empty()) continue;
      std::string dst = norm(restore(m.dst()));
      bool hidden = false;
      for (int j = i + 1; j < c.mount_size(); ++j) hidden = hidden || norm(restore(c.mount(j).dst())) == dst;
      if (hidden) continue;
      Want w{ir::MOUNT_BIND,
             norm(restore(m.src().empty() ? m.dst() : m.src())),
             dst,
             {},
             m.rw(),
             !m.mandatory(),
             m.noexec(),
             {}};
      if (m.is_symlink()) {
        w.kind = ir::MOUNT_SYMLINK;
        w.source = restore(m.src());
        w.optional = false;
      } else if (m.has_src_content()) {
        w.kind = ir::MOUNT_FILE;
        w.content = m.src_content();
        w.optional = false;
      } else if (m.is_bind()) {
        bool device = vocab::is_device_node(dst);
        if (device && w.source == dst && m.mandatory()) w.kind = ir::MOUNT_DEV_NODE;
      } else if (m.fstype() == "tmpfs") {
        w.kind = ir::MOUNT_TMPFS;
        w.optional = false;
        size_t at = m.options().find("size=");
        if (at == std::string::npos) w.size = "0";
        else w.size = restore(m.options().substr(at + 5, m.options().find(',', at) - at - 5));
      } else if (m.fstype() == "proc") {
        w.kind = ir::MOUNT_PROC;
        w.optional = false;
      } else if (m.fstype().empty() && m.is_dir()) {
        w.kind = ir::MOUNT_MKDIR;
        w.optional = false;
      } else {
        continue;  // reported as unsupported
      }
      if (w.kind != ir::MOUNT_BIND && w.kind != ir::MOUNT_DEV_NODE) w.source.clear();
      // A mount that uses an optional param is skipped while it is unset.
      if (!s_.optionals_set && (uses_optional(w.source) || uses_optional(w.target))) continue;
      want.push_back(w);
    }
    std::vector<const ir::Mount*> got;
    for (const auto& m : ir_.mounts())
      if (holds(m.when()) && all_set(m.source()) && all_set(m.target())) got.push_back(&m);
    size_t g = 0, extra = 0;
    for (const Want& w : want) {
      while (g < got.size() && !(text(got[g]->target()) == w.target && got[g]->kind() == w.kind)) {
        ++g;
        ++extra;
      }
      if (g == got.size()) {
        fail("mount on " + w.target + ": missing or out of order");
        return;
      }
      const ir::Mount& m = *got[g++];
      std::string where = "mount on " + w.target + ": ";
      if (!w.source.empty() && text(m.source()) != w.source) fail(where + "source " + text(m.source()));
      // A symlink or a directory has no mount of its own to make read-only.
      if (m.read_write() != w.rw && w.kind != ir::MOUNT_SYMLINK && w.kind != ir::MOUNT_MKDIR)
        fail(where + "read_write");
      if (m.optional() != w.optional) fail(where + "optional");
      if (m.noexec() != w.noexec) fail(where + "noexec");
      if (w.kind == ir::MOUNT_FILE && text(m.content()) != w.content) fail(where + "content");
      if (w.kind == ir::MOUNT_TMPFS && !w.size.empty()) {
        std::string got_size = number(m.size());
        bool same = got_size == w.size;
        // tmpfs sizes may carry k/m/g suffixes in nsjail.
        if (!same && !w.size.empty() && std::isdigit(static_cast<unsigned char>(w.size[0]))) {
          char suffix = w.size.back();
          uint64_t mult = suffix == 'k' ? 1ULL << 10 : suffix == 'm' ? 1ULL << 20 : suffix == 'g' ? 1ULL << 30 : 1;
          std::optional<uint64_t> n = vocab::parse_unsigned(mult == 1 ? w.size : w.size.substr(0, w.size.size() - 1));
          std::optional<uint64_t> bytes = n ? vocab::checked_mul(*n, mult) : std::nullopt;
          same = bytes && got_size == std::to_string(*bytes);
        }
        if (!same) fail(where + "size " + got_size + ", want " + w.size);
      }
    }
    extra += got.size() - g;
    if (c.mount_proc()) {
      if (got.empty() || got.back()->kind() != ir::MOUNT_PROC || text(got.back()->target()) != "/proc")
        fail("mount_proc: no /proc mount last");
      else --extra;
    }
    bool fragments = false;
    for (const Placeholder& p : cfg_.pre.placeholders) fragments = fragments || p.slot == Slot::Fragment;
    if (extra > 0 && !fragments) fail(std::to_string(extra) + " mounts the config does not have");
  }

  // A fragment that stands for one bind per host path is one `bind each` of
  // a list param: read-only paths at their own path; caller-chosen rw
  // targets a volume list bounded by `within`.
  void lists() {
    struct List {
      const char* fragment;
      const char* param;
      ir::ParamType type;
      bool rw;
    };
    for (const List& l : {List{"SHARED_DEPENDENCIES", "SHARED_DEPENDENCIES", ir::PARAM_PATH, false},
                          List{"EXTRA_MOUNTS", "EXTRA_MOUNTS", ir::PARAM_PATH, false},
                          List{"EXTRA_MOUNTS", "EXTRA_VOLUMES", ir::PARAM_VOLUME, true}}) {
      if (!has_fragment(l.fragment)) continue;
      const ir::Mount* found = nullptr;
      for (const auto& m : ir_.mounts()) {
        if (!m.each() || m.source().segments_size() != 1 || !m.source().segments(0).has_param()) continue;
        const ir::Param& p = ir_.params(static_cast<int>(m.source().segments(0).param()));
        if (p.name() == l.param && p.list() && p.type() == l.type) found = &m;
      }
      std::string where = std::string("{") + l.fragment + "} as " + l.param + ": ";
      if (found == nullptr) fail(where + "no bind each of a list param of that type");
      else if (found->read_write() != l.rw) fail(where + "read_write");
      else if (l.type == ir::PARAM_VOLUME && found->within_size() == 0) fail(where + "no within");
      else if (l.type == ir::PARAM_PATH && (found->within_size() > 0 || found->target().segments_size() > 0))
        fail(where + "not at each value's own path");
    }
  }

  void rlimits() {
    const auto& c = cfg_.config;
    struct R {
      ir::Rlimit res;
      const char* name;
      uint64_t value;
      schema::RLimit type;
      uint64_t unit;
    };
    const R all[] = {{ir::RLIMIT_AS, "as", c.rlimit_as(), c.rlimit_as_type(), kMiB},
                     {ir::RLIMIT_CORE, "core", c.rlimit_core(), c.rlimit_core_type(), kMiB},
                     {ir::RLIMIT_CPU, "cpu", c.rlimit_cpu(), c.rlimit_cpu_type(), 1},
                     {ir::RLIMIT_FSIZE, "fsize", c.rlimit_fsize(), c.rlimit_fsize_type(), kMiB},
                     {ir::RLIMIT_NOFILE, "nofile", c.rlimit_nofile(), c.rlimit_nofile_type(), 1},
                     {ir::RLIMIT_NPROC, "nproc", c.rlimit_nproc(), c.rlimit_nproc_type(), 1},
                     {ir::RLIMIT_STACK, "stack", c.rlimit_stack(), c.rlimit_stack_type(), kMiB},
                     {ir::RLIMIT_MEMLOCK, "memlock", c.rlimit_memlock(), c.rlimit_memlock_type(), 1024},
                     {ir::RLIMIT_RTPRIO, "rtprio", c.rlimit_rtprio(), c.rlimit_rtprio_type(), 1},
                     {ir::RLIMIT_MSGQUEUE, "msgqueue", c.rlimit_msgqueue(), c.rlimit_msgqueue_type(), 1}};
    for (const R& r : all) {
      if (r.res == ir::RLIMIT_AS && has_fragment("RLIMIT_AS") && s_.optionals_set) continue;
      const ir::RlimitSetting* got = nullptr;
      for (const auto& set : ir_.rlimits())
        if (set.resource() == r.res && holds(set.when())) got = &set;
      std::string got_text = !got || got->inherit() ? "inherit" : number(got->soft()) + "/" + number(got->hard());
      std::string want;
      if (c.disable_rl() || r.type == schema::SOFT || r.type == schema::HARD) want = "inherit";
      else if (r.type == schema::INF) want = "inf/inf";
      else want = expected_number(r.value, r.unit) + "/" + expected_number(r.value, r.unit);
      if (got_text != want) fail(std::string("rlimit ") + r.name + ": want " + want + ", got " + got_text);
    }
  }

  void cgroups() {
    const auto& c = cfg_.config;
    struct L {
      ir::CgroupLimit limit;
      const char* name;
      uint64_t value;
    };
    for (const L& l : {L{ir::CGROUP_MEMORY, "cgroup_mem_max", c.cgroup_mem_max()},
                       L{ir::CGROUP_MEMORY_SWAP, "cgroup_mem_memsw_max", c.cgroup_mem_memsw_max()},
                       L{ir::CGROUP_PIDS, "cgroup_pids_max", c.cgroup_pids_max()},
                       L{ir::CGROUP_CPU_MS_PER_SEC, "cgroup_cpu_ms_per_sec", c.cgroup_cpu_ms_per_sec()}}) {
      const ir::CgroupSetting* got = nullptr;
      for (const auto& set : ir_.cgroup())
        if (set.limit() == l.limit && holds(set.when())) got = &set;
      std::string want = l.value == 0 ? "none" : expected_number(l.value, 1);
      std::string got_text = got ? number(got->value()) : "none";
      if (got_text != want) fail(std::string(l.name) + ": want " + want + ", got " + got_text);
    }
  }

  void env() {
    const auto& c = cfg_.config;
    std::vector<const ir::EnvRule*> rules;
    for (const auto& r : ir_.env())
      if (holds(r.when())) rules.push_back(&r);
    bool keeps = false;
    std::vector<std::string> want, got;
    for (const ir::EnvRule* r : rules) {
      if (r->op() == ir::ENV_KEEP) keeps = true;
      if (r->op() == ir::ENV_SET) got.push_back("set " + r->name() + "=" + text(r->value()));
      if (r->op() == ir::ENV_PASS) got.push_back("pass " + r->name());
    }
    bool want_keep = c.keep_env() || (has_fragment("ENVARS") && bool_value("ENVARS"));
    if (keeps != want_keep) fail(std::string("keep_env: want ") + (want_keep ? "keep" : "no keep"));
    for (const std::string& e : c.envar()) {
      size_t eq = e.find('=');
      want.push_back(eq == std::string::npos ? "pass " + e
                                             : "set " + e.substr(0, eq) + "=" + restore(e.substr(eq + 1)));
    }
    if (want != got) fail("envar: set/pass rules differ");
  }

  void process() {
    const auto& c = cfg_.config;
    std::vector<uint32_t> want_caps;
    if (c.keep_caps()) {
      for (const vocab::Capability& cap : vocab::capabilities()) want_caps.push_back(cap.number);
    } else {
      for (const std::string& name : c.cap())
        if (int n = vocab::capability_number(name); n >= 0) want_caps.push_back(static_cast<uint32_t>(n));
    }
    std::vector<uint32_t> got_caps(ir_.keep_caps().begin(), ir_.keep_caps().end());
    std::sort(got_caps.begin(), got_caps.end());
    if (got_caps != want_caps) fail("capabilities differ");
    if (ir_.allow_new_privs() != c.disable_no_new_privs()) fail("disable_no_new_privs");
    if ((ir_.session() == ir::SESSION_KEEP) != c.skip_setsid()) fail("skip_setsid");
    std::vector<int> want_fds(c.pass_fd().begin(), c.pass_fd().end());
    std::vector<int> got_fds(ir_.pass_fds().begin(), ir_.pass_fds().end());
    if (want_fds != got_fds) fail("pass_fd differ");
    std::string want_kafel;
    for (const std::string& s : c.seccomp_string()) want_kafel += s + "\n";
    std::string got_kafel = ir_.seccomp().fragments_size() ? ir_.seccomp().fragments().rbegin()->text() : "";
    auto squeeze = [](std::string s) {
      s.erase(std::remove_if(s.begin(), s.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); }),
              s.end());
      return s;
    };
    if (squeeze(want_kafel) != squeeze(got_kafel)) fail("seccomp_string: Kafel text differs");
  }
};

}  // namespace

std::vector<std::string> compare(const ParsedConfig& cfg, const ir::PolicyIr& ir, const Scenario& s) {
  return Checker(cfg, ir, s).run();
}

}  // namespace stockade::nsjail::test
