// SPDX-License-Identifier: Apache-2.0
// env, capabilities, privileges, session, fds, seccomp and nsjail's
// remaining knobs (logging, server mode, personality, networking extras).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "translation.h"
#include "vocab/capabilities.h"

namespace stockade::nsjail {
namespace {

namespace pb = google::protobuf;

bool is_env_name(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

bool has(const pb::Message& m, const char* field) {
  return m.GetReflection()->HasField(m, m.GetDescriptor()->FindFieldByName(field));
}

bool get_bool(const pb::Message& m, const char* field) {
  return m.GetReflection()->GetBool(m, m.GetDescriptor()->FindFieldByName(field));
}

// A bool knob the launcher has no equivalent for: fine when false.
void bool_knob(Translation& t, const char* field, const std::string& why) {
  const schema::NsJailConfig& c = t.cfg.config;
  if (!has(c, field)) return;
  if (get_bool(c, field)) t.unsupported(field, why);
  else t.done(field);
}

void env(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  if (c.keep_env()) t.draft.env.push_back({"keep", "keep_env: true", 0, {}, false});
  else
    t.draft.env.push_back(
        {"clear", c.has_keep_env() ? "keep_env: false" : "nsjail's default (keep_env absent)", 0, {}, false});
  if (c.has_keep_env()) t.done("keep_env");
  for (int i = 0; i < c.envar_size(); ++i) {
    std::string key = "envar[" + std::to_string(i) + "]";
    const std::string& e = c.envar(i);
    size_t eq = e.find('=');
    std::string name = e.substr(0, eq);
    if (!is_env_name(name)) {
      t.sink.error(t.cfg.at(key), "envar '" + e + "' does not start with a variable name");
      continue;
    }
    t.done(key);
    uint32_t line = t.cfg.at(key).line;
    if (eq == std::string::npos) t.draft.env.push_back({"pass " + name, "", line, {}, false});
    else t.draft.env.push_back({"set " + name + " = " + render_text(t, e.substr(eq + 1)), "", line, {}, false});
  }
}

void capabilities(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  if (c.has_keep_caps()) t.done("keep_caps");
  if (c.keep_caps()) {
    t.draft.capabilities.push_back({"", "keep_caps: true keeps every capability", 0, {}, false});
    for (const vocab::Capability& cap : vocab::capabilities())
      t.draft.capabilities.push_back({"keep " + std::string(cap.name), "", 0, {}, false});
  }
  for (int i = 0; i < c.cap_size(); ++i) {
    std::string key = "cap[" + std::to_string(i) + "]";
    if (vocab::capability_number(c.cap(i)) < 0) {
      t.sink.error(t.cfg.at(key), "unknown capability '" + c.cap(i) + "'");
      continue;
    }
    t.done(key);
    if (!c.keep_caps()) t.draft.capabilities.push_back({"keep " + c.cap(i), "cap", 0, {}, false});
  }
}

void privileges_and_session(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  if (c.has_disable_no_new_privs()) t.done("disable_no_new_privs");
  if (c.disable_no_new_privs())
    t.draft.process.push_back({"no_new_privs off", "disable_no_new_privs: true", 0, {}, false});
  else
    t.draft.process.push_back({"no_new_privs on",
                               c.has_disable_no_new_privs() ? "disable_no_new_privs: false" : "nsjail's default",
                               0,
                               {},
                               false});
  if (c.has_skip_setsid()) t.done("skip_setsid");
  if (c.skip_setsid()) t.draft.process.push_back({"session keep", "skip_setsid: true", 0, {}, false});
  else
    t.draft.process.push_back(
        {"session new", c.has_skip_setsid() ? "skip_setsid: false" : "nsjail's default", 0, {}, false});
  for (int i = 0; i < c.pass_fd_size(); ++i) {
    std::string key = "pass_fd[" + std::to_string(i) + "]";
    if (c.pass_fd(i) < 0) {
      t.sink.error(t.cfg.at(key), "pass_fd " + std::to_string(c.pass_fd(i)) + " is not a file descriptor");
      continue;
    }
    t.done(key);
    t.draft.process.push_back({"pass_fd " + render_count(t, static_cast<uint64_t>(c.pass_fd(i))), "", 0, {}, false});
  }
}

void seccomp(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  std::string kafel;
  for (int i = 0; i < c.seccomp_string_size(); ++i) {
    // Kafel text goes through unchanged (nsjail joins the pieces with '\n').
    kafel += restore_placeholders(t, c.seccomp_string(i));
    kafel += '\n';
    t.done("seccomp_string[" + std::to_string(i) + "]");
  }
  t.draft.seccomp = kafel;
  if (c.has_seccomp_policy_file())
    t.unsupported("seccomp_policy_file",
                  "policies are compiled at build time; paste the Kafel file into a "
                  "seccomp { } block");
  bool_knob(t, "seccomp_log", "the launcher does not ask the kernel to log seccomp decisions");
}

void remaining(Translation& t) {
  const schema::NsJailConfig& c = t.cfg.config;
  for (const char* f : {"log_fd", "log_file", "log_level"})
    if (has(c, f)) t.unsupported(f, "the launcher reports on stderr and in its --report file");
  if (has(c, "nice_level")) {
    t.unsupported("nice_level", "the language has no nice level; the job keeps the launcher's priority");
  } else {
    t.sink.warning({t.cfg.file, 0, 0, 1},
                   "field nice_level is not supported: nsjail's default nice level 19 is not applied; "
                   "the job keeps the launcher's priority");
  }
  for (const char* f : {"port", "bindhost", "max_conns", "max_conns_per_ip"})
    if (has(c, f)) t.unsupported(f, "only nsjail's LISTEN mode uses it");
  bool_knob(t, "daemon", "the launcher stays in the foreground as the job's supervisor");
  if (has(c, "max_cpus")) {
    if (c.max_cpus() == 0) t.done("max_cpus");
    else t.unsupported("max_cpus", "CPU affinity is not set; use cgroup { cpu_ms_per_sec N } to bound CPU use");
  }
  bool_knob(t, "silent", "the job's stdin, stdout and stderr are the launcher's");
  bool_knob(t, "stderr_to_null", "the job's stderr is the launcher's");
  if (has(c, "forward_signals")) {
    if (c.forward_signals()) {
      t.done("forward_signals");
      t.draft.footer.push_back("forward_signals: true: the launcher's init forwards signals to the job");
    } else {
      t.unsupported("forward_signals", "the launcher's init always forwards signals to the job");
    }
  }
  bool_knob(t, "disable_tsc", "rdtsc stays available");
  bool_knob(t, "no_pivotroot", "the launcher always uses pivot_root");
  for (const char* f : {"persona_addr_compat_layout", "persona_mmap_page_zero", "persona_read_implies_exec",
                        "persona_addr_limit_3gb", "persona_addr_no_randomize"})
    bool_knob(t, f, "the launcher does not change the personality");
  for (int i = 0; i < c.iface_own_size(); ++i)
    t.unsupported("iface_own[" + std::to_string(i) + "]", "interfaces are not moved into the sandbox");
  for (const char* f :
       {"macvlan_iface", "macvlan_vs_ip", "macvlan_vs_nm", "macvlan_vs_gw", "macvlan_vs_ma", "macvlan_vs_mo"})
    if (has(c, f)) t.unsupported(f, "MACVLAN interfaces are not created");
  if (c.has_exec_bin()) {
    std::string cmd = restore_placeholders(t, c.exec_bin().path());
    // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
    for (const std::string& a : c.exec_bin().arg()) cmd.append(" ").append(restore_placeholders(t, a));
    t.unsupported("exec_bin", "the worker gives the command after `--` (here: " + cmd + ")");
    t.draft.footer.push_back("nsjail's exec_bin ran: " + cmd + " (give it after `--`)");
    for (const char* f : {"path", "arg", "arg0", "exec_fd"}) t.done(std::string("exec_bin.") + f);
    for (int i = 0; i < c.exec_bin().arg_size(); ++i) t.done("exec_bin.arg[" + std::to_string(i) + "]");
  }
}

}  // namespace

void translate_process(Translation& t) {
  env(t);
  capabilities(t);
  privileges_and_session(t);
  seccomp(t);
  remaining(t);
}

}  // namespace stockade::nsjail
