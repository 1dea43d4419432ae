// SPDX-License-Identifier: Apache-2.0
#include "fail.h"

#include <errno.h>
#include <string.h>

#include "io.h"
#include "text.h"

namespace stockade {
namespace {

void copy_into(char* dst, size_t cap, std::string_view s) {
  size_t n = s.size() < cap - 1 ? s.size() : cap - 1;
  memcpy(dst, s.data(), n);
  dst[n] = '\0';
}

// One row per step: its name on stderr and in the report, the exit code a
// failure there means, the report's reason. Indexed by Step (checked below).
struct StepRow {
  Step step;
  const char* name;
  Exit exit;
  const char* reason;
};

constexpr StepRow kSteps[] = {
    {Step::None, "none", Exit::Internal, "internal"},
    {Step::Usage, "usage", Exit::Usage, "usage"},
    {Step::Param, "param", Exit::BadParam, "bad-param"},
    {Step::Env, "env", Exit::Usage, "usage"},  // the environment the launcher was given
    {Step::Plan, "plan", Exit::Internal, "internal"},
    {Step::Report, "report", Exit::Usage, "usage"},  // before the job: an unusable --report
    {Step::Show, "show", Exit::Internal, "internal"},
    {Step::Fds, "fds", Exit::SetupFailed, "setup-failed"},
    {Step::Cgroup, "cgroup", Exit::SetupFailed, "setup-failed"},
    {Step::CgroupJoin, "cgroup-join", Exit::SetupFailed, "setup-failed"},
    {Step::Supervisor, "supervisor", Exit::Internal, "internal"},
    {Step::Channel, "channel", Exit::SetupFailed, "setup-failed"},
    {Step::Namespaces, "namespaces", Exit::SetupFailed, "setup-failed"},
    {Step::Idmap, "idmap", Exit::SetupFailed, "setup-failed"},
    {Step::Release, "release", Exit::SetupFailed, "setup-failed"},
    {Step::Mounts, "mounts", Exit::SetupFailed, "setup-failed"},
    {Step::Proc, "proc", Exit::SetupFailed, "setup-failed"},  // a new procfs (mounts.cc mount_proc)
    {Step::Ids, "ids", Exit::SetupFailed, "setup-failed"},
    {Step::Init, "init", Exit::SetupFailed, "setup-failed"},
    {Step::Keyring, "keyring", Exit::SetupFailed, "setup-failed"},
    {Step::Hostname, "hostname", Exit::SetupFailed, "setup-failed"},
    {Step::Network, "network", Exit::SetupFailed, "setup-failed"},
    {Step::Rlimits, "rlimits", Exit::SetupFailed, "setup-failed"},
    {Step::Cwd, "cwd", Exit::SetupFailed, "setup-failed"},
    {Step::Session, "session", Exit::SetupFailed, "setup-failed"},
    {Step::Capabilities, "capabilities", Exit::SetupFailed, "setup-failed"},
    {Step::NoNewPrivs, "no_new_privs", Exit::SetupFailed, "setup-failed"},
    {Step::Landlock, "landlock", Exit::SetupFailed, "setup-failed"},
    {Step::Seccomp, "seccomp", Exit::SetupFailed, "setup-failed"},
    {Step::Execve, "execve", Exit::NotExecutable, "exec-failed"},
};
static_assert(sizeof kSteps / sizeof kSteps[0] == static_cast<size_t>(Step::Count), "one row per step");
constexpr bool rows_in_order() {
  for (size_t i = 0; i < sizeof kSteps / sizeof kSteps[0]; ++i)
    if (static_cast<size_t>(kSteps[i].step) != i) return false;
  return true;
}
static_assert(rows_in_order(), "kSteps is indexed by Step");

const StepRow& row(Step s) {
  size_t i = static_cast<size_t>(s);
  return i < static_cast<size_t>(Step::Count) ? kSteps[i] : kSteps[0];
}

// Where one errno of one step means another exit code than the step's.
struct ExitOverride {
  Step step;
  int err;
  Exit exit;
};

constexpr ExitOverride kExitOverrides[] = {
    {Step::Execve, ENOENT, Exit::NotFound},
    {Step::Execve, ENOTDIR, Exit::NotFound},
    // The job's argv and environment together are over the kernel's limit:
    // the command line's fault, not the program's.
    {Step::Execve, E2BIG, Exit::Usage},
};

// Errnos that mislead on their own get a hint naming the likely cause.
struct Hint {
  Step step;
  int err;
  const char* text;
};

constexpr const char kUserns[] =
    "user namespaces disabled? see sysctl user.max_user_namespaces, "
    "kernel.unprivileged_userns_clone and AppArmor's kernel.apparmor_restrict_unprivileged_userns; "
    "in a container, its seccomp profile refuses them (README, \"Running in containers\")";
constexpr const char kCgroupWrite[] =
    "the launcher needs write access to the cgroup hierarchy (run as root or use a delegated cgroup: --cgroup; "
    "in a container, README, \"Running in containers\")";

constexpr Hint kHints[] = {
    {Step::CgroupJoin, EACCES,
     "to start a job in a delegated cgroup (--cgroup) the launcher must already run inside that cgroup's subtree"},
    {Step::Namespaces, EPERM, kUserns},
    {Step::Namespaces, ENOSPC, kUserns},
    {Step::Namespaces, EACCES, kUserns},
    // Docker's default seccomp profile answers clone3 with ENOSYS.
    {Step::Namespaces, ENOSYS,
     "a container's seccomp profile refuses clone3 (Docker's default does): run the container with one that "
     "allows clone3 and namespaces (Docker --security-opt seccomp=..., Kubernetes securityContext.seccompProfile; "
     "README, \"Running in containers\")"},
    // Mounting a procfs needs a /proc with nothing mounted over it.
    {Step::Proc, EPERM,
     "the host's /proc is masked (something is mounted over parts of it, as container runtimes do): run the "
     "container with an unmasked /proc (Kubernetes securityContext.procMount: Unmasked, Docker --security-opt "
     "systempaths=unconfined; README, \"Running in containers\")"},
    {Step::Cgroup, EACCES, kCgroupWrite},
    {Step::Cgroup, EROFS, kCgroupWrite},
    {Step::Mounts, ELOOP, "a symlink below the policy's or the parameter's directory is never followed"},
    {Step::Seccomp, EACCES, "a seccomp filter needs no_new_privs or CAP_SYS_ADMIN"},
    {Step::Report, ELOOP, "the report's name is a symlink, never followed: pass the real path"},
    {Step::Execve, E2BIG,
     "the job's argv and environment exceed the kernel's limit (128 KiB a string, ARG_MAX in all)"},
};

// Values come from the command line and may hold any byte: the message
// stays one printable line (\n, \t, \\ and \xHH escapes).
void add_escaped(TextBuf& out, const char* s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(s); *p != '\0'; ++p) {
    unsigned char c = *p;
    if (c == '\n') out.add("\\n");
    else if (c == '\t') out.add("\\t");
    else if (c == '\\') out.add("\\\\");
    else if (c < 0x20 || c == 0x7f) out.add("\\x").add(kHex[c >> 4]).add(kHex[c & 15]);
    else out.add(static_cast<char>(c));
  }
}

}  // namespace

bool fail(Failure& f, Step step, std::string_view what, std::string_view value, int err) {
  f.step = step;
  f.subject = !value.empty() && value[0] == '/' ? Subject::Path : Subject::Other;
  copy_into(f.what, sizeof f.what, what);
  copy_into(f.value, sizeof f.value, value);
  f.reason[0] = '\0';
  f.err = err;
  return false;
}

bool fail_reason(Failure& f, Step step, std::string_view what, std::string_view value, std::string_view reason) {
  fail(f, step, what, value, 0);
  copy_into(f.reason, sizeof f.reason, reason);
  return false;
}

bool fail(Failure& f, Step step, const char* what, const char* value, int err) {
  return fail(f, step, std::string_view(what), std::string_view(value), err);
}

bool fail_reason(Failure& f, Step step, const char* what, const char* value, const char* reason) {
  return fail_reason(f, step, std::string_view(what), std::string_view(value), std::string_view(reason));
}

bool fail_param(Failure& f, std::string_view what, std::string_view nv, std::string_view reason) {
  fail_reason(f, Step::Param, what, nv, reason);
  f.subject = Subject::Param;
  return false;
}

std::string_view step_name(Step s) { return row(s).name; }

Exit exit_for(const Failure& f) {
  for (const ExitOverride& o : kExitOverrides)
    if (o.step == f.step && o.err == f.err) return o.exit;
  return row(f.step).exit;
}

const char* reason_for(const Failure& f) {
  Exit e = exit_for(f);
  if (e == Exit::Usage) return "usage";
  return row(f.step).reason;
}

const char* hint_for(Step s, int err) {
  if (err == 0) return nullptr;
  for (const Hint& h : kHints)
    if (h.step == s && h.err == err) return h.text;
  return nullptr;
}

std::string_view failure_param(const Failure& f) {
  if (f.subject != Subject::Param) return {};
  std::string_view v = f.value;
  size_t eq = v.find('=');
  return eq == std::string_view::npos ? v : v.substr(0, eq);
}

void format_failure_message(const Failure& f, TextBuf& line) {
  line.add(step_name(f.step)).add(": ");
  add_escaped(line, f.what);
  if (f.what[0] != '\0' && f.value[0] != '\0') line.add(' ');
  add_escaped(line, f.value);
  line.add(": ").add(f.err != 0 ? strerror(f.err) : f.reason);
  if (const char* hint = hint_for(f.step, f.err)) line.add("; hint: ").add(hint);
}

void format_failure(const Failure& f, TextBuf& line) {
  line.add("stockade: ");
  format_failure_message(f, line);
  line.add('\n');
}

void print_failure(const Failure& f) {
  Text<2048> line;
  format_failure(f, line);
  write_all(2, line.view());
}

void print_note(std::string_view text) {
  Text<1024> line;
  line.add("stockade: ").add(text).add('\n');
  write_all(2, line.view());
}

}  // namespace stockade
