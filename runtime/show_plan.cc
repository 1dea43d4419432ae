// SPDX-License-Identifier: Apache-2.0
#include "show_plan.h"

#include <errno.h>
#include <sys/mman.h>

#include "exit_codes.h"
#include "fail.h"
#include "io.h"
#include "param_file.h"
#include "params.h"
#include "plan.h"
#include "text.h"

namespace stockade {
namespace {

using table::MountKind;

// Indexed by the table enums (policy_table.h), in their order.
constexpr const char* kNamespaceNames[kNamespaceCount] = {"user", "mount", "pid",    "ipc",
                                                          "uts",  "net",   "cgroup", "time"};
constexpr const char* kRlimitNames[kRlimitCount] = {"as",    "core",  "cpu",     "fsize",    "nofile",
                                                    "nproc", "stack", "memlock", "msgqueue", "rtprio"};
constexpr const char* kCgroupNames[kCgroupLimitCount] = {"memory", "memory_swap", "pids", "cpu_ms_per_s"};
constexpr const char* kMountKindNames[] = {"bind", "tmpfs", "proc", "dev", "symlink", "file", "mkdir", "overlay"};

// One line at a time to stdout: a plan has up to kMaxMounts rows, more than
// any fixed buffer should hold.
class Out {
 public:
  TextBuf& line() {
    text_.clear();
    return text_;
  }
  void end() {
    text_.add('\n');
    if (write_all(1, text_.view()) != 0) failed_ = true;
  }
  bool failed() const { return failed_; }

 private:
  Text<8192> text_;
  bool failed_ = false;
};

void add_number(TextBuf& t, uint64_t v, bool infinity) {
  if (infinity) t.add("unlimited");
  else t.add_u64(v);
}

void print_params(Out& out, const table::Policy& policy, const ParamValues& values) {
  if (policy.params.count == 0) return;
  out.line().add("params:"), out.end();
  for (uint32_t i = 0; i < policy.params.count; ++i) {
    const table::Param& p = *policy.params[i];
    const ParamValue& v = values.v[i];
    TextBuf& t = out.line().add("  ").add(p.name).add(" = ");
    if (p.list) {
      t.add('[');
      for (uint32_t k = 0; k < v.item_count; ++k) t.add(k == 0 ? "" : ", ").add(v.items[k]);
      t.add(']');
    } else if (!v.set) {
      t.add("(unset)");
    } else if (p.type == table::ParamType::Size) {
      t.add_i64(v.number).add(" bytes");
    } else if (p.type == table::ParamType::Duration) {
      t.add_i64(v.number).add(" ms");
    } else if (p.type == table::ParamType::Bool) {
      t.add(v.flag ? "true" : "false");
    } else if (v.text == nullptr || v.text[0] == '\0') {
      t.add("\"\"");
    } else {
      t.add(v.text);
    }
    out.end();
  }
}

void print_mount(Out& out, const PlanMount& m) {
  TextBuf& t = out.line().add("  ");
  uint32_t kind = static_cast<uint32_t>(m.kind);
  t.add(kind < sizeof(kMountKindNames) / sizeof(kMountKindNames[0]) ? kMountKindNames[kind] : "?").add(' ');
  switch (m.kind) {
    case MountKind::Bind:
    case MountKind::DevNode:
    case MountKind::Overlay: t.add(m.source != nullptr ? m.source : "?").add(" -> ").add(m.target); break;
    case MountKind::Symlink: t.add(m.target).add(" -> ").add(m.source != nullptr ? m.source : "?"); break;
    case MountKind::File: t.add(m.target).add(" (").add_u64(m.content_len).add(" bytes)"); break;
    case MountKind::Tmpfs:
      t.add(m.target);
      if (m.size != 0) t.add(" size ").add_u64(m.size);
      break;
    case MountKind::Proc:
    case MountKind::Mkdir: t.add(m.target); break;
  }
  if (m.kind == MountKind::Bind || m.kind == MountKind::Tmpfs || m.kind == MountKind::Overlay)
    t.add((m.flags & table::kMountReadWrite) != 0 ? " rw" : " ro");
  if ((m.flags & table::kMountNoExec) != 0) t.add(" noexec");
  if ((m.flags & table::kMountOptional) != 0) t.add(" optional");
  if (m.follow != nullptr) t.add(" follow-within ").add(m.follow);
  if (m.mode != 0 && m.kind != MountKind::Overlay) {
    t.add(" mode ");
    char digits[4] = {static_cast<char>('0' + ((m.mode >> 9) & 7)), static_cast<char>('0' + ((m.mode >> 6) & 7)),
                      static_cast<char>('0' + ((m.mode >> 3) & 7)), static_cast<char>('0' + (m.mode & 7))};
    t.add(std::string_view(digits, 4));
  }
  out.end();
}

void print_plan(Out& out, const Plan& plan, const ParamValues& values) {
  const table::Policy& policy = *plan.policy;
  out.line().add("policy ").add(policy.name).add(", resolved for these params (nothing was run)"), out.end();
  print_params(out, policy, values);
  out.line().add("hostname: ").add(plan.hostname != nullptr ? plan.hostname : "(the host's)"), out.end();
  out.line().add("cwd: ").add(plan.cwd), out.end();
  TextBuf& tl = out.line().add("time limit: ");
  if (plan.time_limit_ms == 0) tl.add("none");
  else tl.add_u64(plan.time_limit_ms).add(" ms");
  out.end();
  TextBuf& ns = out.line().add("namespaces:");
  for (int i = 0; i < kNamespaceCount; ++i)
    if (plan.ns[i]) ns.add(' ').add(kNamespaceNames[i]);
  out.end();
  const char* net = plan.network == table::Network::Host       ? "host"
                    : plan.network == table::Network::Loopback ? "loopback"
                                                               : "none";
  out.line().add("network: ").add(net), out.end();
  out.line().add("mounts (in order):"), out.end();
  for (uint32_t i = 0; i < plan.mount_count; ++i) print_mount(out, plan.mounts[i]);
  bool any = false;
  for (int i = 0; i < kRlimitCount; ++i) {
    const PlanRlimit& r = plan.rlimits[i];
    if (!r.set) continue;
    if (!any) out.line().add("rlimits (soft / hard; others inherited):"), out.end();
    any = true;
    TextBuf& t = out.line().add("  ").add(kRlimitNames[i]).add(' ');
    add_number(t, r.soft, r.soft == ~0ull);
    t.add(" / ");
    add_number(t, r.hard, r.hard == ~0ull);
    out.end();
  }
  any = false;
  for (int i = 0; i < kCgroupLimitCount; ++i) {
    if (!plan.cgroup[i].set) continue;
    if (!any) out.line().add("cgroup limits:"), out.end();
    any = true;
    TextBuf& t = out.line().add("  ").add(kCgroupNames[i]).add(' ');
    add_number(t, plan.cgroup[i].value, plan.cgroup[i].value == ~0ull);
    out.end();
  }
  out.line().add("environment (from this shell's, as the job would get it):"), out.end();
  for (char** e = plan.envp; e != nullptr && *e != nullptr; ++e) out.line().add("  ").add(*e), out.end();
  // What no param changes (id maps, capabilities, seccomp) is in the words.
  out.line().add("the rest as `stockade show ").add(policy.name).add("` says"), out.end();
}

}  // namespace

int show_resolved(const Cli& cli, const table::Policy& policy, char** environ_in) {
  Failure f{};
  // The same arena and steps as run(): what is printed is what would be applied.
  void* mem = mmap(nullptr, kArenaBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return (fail(f, Step::Show, "mmap", "arena", errno), print_failure(f), code(Exit::Internal));
  Arena arena(static_cast<char*>(mem), kArenaBytes);
  const ParamArg* args = nullptr;
  size_t arg_count = 0;
  ParamValues values_storage;
  Plan plan_storage;
  ParamValues* values = &values_storage;
  Plan* plan = &plan_storage;
  if (!expand_param_files(cli, arena, &args, &arg_count, f) || !validate_params(policy, args, arg_count, *values, f))
    return (print_failure(f), code(exit_for(f)));
  // The program is not run; the plan still wants an argv.
  char program[] = "PROGRAM";
  char* argv[] = {program, nullptr};
  if (!resolve_plan(policy, *values, environ_in, argv, arena, *plan, f)) return (print_failure(f), code(exit_for(f)));
  Out out;
  print_plan(out, *plan, *values);
  return out.failed() ? code(Exit::Internal) : 0;
}

}  // namespace stockade
