// SPDX-License-Identifier: Apache-2.0
#include "sandbox.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "caps.h"
#include "channel.h"
#include "exit_codes.h"
#include "fds.h"
#include "idmap.h"
#include "init.h"
#include "keyring.h"
#include "landlock.h"
#include "mounts.h"
#include "namespaces.h"
#include "net.h"
#include "rlimits.h"
#include "seccomp/install.h"
#include "seccomp/shmem_guard.h"
#include "setuid_guard.h"
#include "tmpfs_roots.h"

namespace stockade {
namespace {

using table::Namespace;

[[noreturn]] void setup_failed(int report_fd, const Failure& f, Exit code) {
  send_failure(report_fd, f);
  _exit(stockade::code(code));
}

bool set_hostname(const Plan& plan, Failure& f) {
  if (plan.hostname == nullptr || !ns_on(plan, Namespace::Uts)) return true;
  if (sethostname(plan.hostname, cstr_len(plan.hostname)) != 0)
    return fail(f, Step::Hostname, "sethostname", plan.hostname, errno);
  return true;
}

bool enter_cwd(const Plan& plan, Failure& f) {
  if (chdir(plan.cwd) != 0) return fail(f, Step::Cwd, "chdir", plan.cwd, errno);
  return true;
}

bool new_session(const Plan& plan, Failure& f) {
  if (plan.policy->session == table::Session::Keep) return true;
  if (setsid() < 0) return fail(f, Step::Session, "setsid", "", errno);
  return true;
}

bool die_with_parent(Failure& f) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
    return fail(f, Step::Init, "prctl(PR_SET_PDEATHSIG)", "SIGKILL", errno);
  return true;
}

// PR_SET_PDEATHSIG is cleared by every credential change, so init sets it
// again after taking its inside ids, then checks the parent did not die in
// between: the parent holds its end of the release socket open while it
// lives, so EOF there means it is gone.
bool rearm_parent_death(int release_sock, Failure& f) {
  if (!die_with_parent(f)) return false;
  // Init shares the job's uid inside but keeps capabilities: not dumpable,
  // so the job cannot read its memory or /proc files (execve resets this
  // for the job).
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return fail(f, Step::Init, "prctl(PR_SET_DUMPABLE)", "0", errno);
  char byte;
  if (recv(release_sock, &byte, 1, MSG_DONTWAIT | MSG_PEEK) == 0) _exit(code(Exit::SetupFailed));
  return true;
}

// The job: the last per-process steps, then execve. Seccomp comes last so
// the filter never has to allow the set-up calls before it.
[[noreturn]] void job_main(const Plan& plan, SandboxFds fds, bool idmapped) {
  int report_fd = fds.report;
  // Tell the launcher our pid (for naming a seccomp kill, live stats); the socket
  // itself goes with close_stray_fds below.
  job_hello(fds.release);
  // The job starts with default dispositions and nothing blocked, whatever
  // the launcher and init had.
  sigset_t none;
  sigemptyset(&none);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  Failure f{};
  const table::Policy& p = *plan.policy;
  // The set-id guard rides at the head of the policy's filter when there is
  // one that will load (no_new_privs); else it is a filter of its own.
  bool guard_in_policy = idmapped && p.seccomp.count > 0 && !p.allow_new_privs;
  LandlockScope scope{};
  bool ok = apply_rlimits(plan, f) &&                                                         //
            enter_cwd(plan, f) &&                                                             //
            close_stray_fds(p.pass_fds, report_fd, fds.notify, f) && new_session(plan, f) &&  //
            lock_securebits(p.keep_caps, f) &&                                                //
            drop_bounding_set(p.keep_caps, f) &&                                              //
            // While CAP_SYS_ADMIN still holds, so it loads even without
            // no_new_privs; it refuses nothing the remaining steps use.
            (!idmapped || guard_in_policy || install_setuid_guard(f)) && set_job_ids(plan, f) &&  //
            set_capabilities(p.keep_caps, f) &&                                                   //
            die_with_parent(f) &&                      // after the id change, which clears it
            set_no_new_privs(p.allow_new_privs, f) &&  //
            scope_landlock(scope, f) &&                // abstract sockets, signals (landlock.h)
            close_abstract_sockets(plan, scope, f) &&  // the fallback without the scope (net.h)
            // What the memory watchdog cannot count (seccomp/shmem_guard.h).
            (plan.memory_watch == 0 || install_shmem_guard(f)) &&
            install_seccomp_reporting(p, fds.notify, guard_in_policy, plan.learn, f);
  if (!ok) setup_failed(report_fd, f, Exit::SetupFailed);
  environ = plan.envp;
  execvp(plan.argv[0], plan.argv);
  int err = errno;
  fail(f, Step::Execve, "execve", plan.argv[0], err);
  setup_failed(report_fd, f, exit_for(f));  // 126, or 127 for ENOENT (fail.cc)
}

}  // namespace

void sandbox_main(const Plan& plan, Cgroup& cgroup, SandboxFds fds) {
  Failure f{};
  // What needs no id maps, while the launcher writes them: the network
  // namespace (started in a helper, joined below), the job's cgroup, most
  // mount sources.
  MountSources sources;
  NetMaker net;
  bool mounts = ns_on(plan, Namespace::Mount);
  bool ok = die_with_parent(f) &&                 //
            start_net_namespace(plan, net, f) &&  // before the cgroup: its memory is not the job's
            cgroup_join_self(cgroup, f) &&        //
            (!mounts || open_mount_sources(plan, sources, f));
  if (!ok) setup_failed(fds.report, f, Exit::SetupFailed);
  // Wait for the launcher: id maps written, idmapped trees handed over.
  // EOF here means the launcher died: just go.
  int prepared[kMaxMounts];
  if (!receive_release(fds.release, prepared, kMaxMounts)) _exit(code(Exit::SetupFailed));
  bool idmapped = false;
  for (uint32_t i = 0; i < plan.mount_count; ++i) idmapped = idmapped || prepared[i] >= 0;

  ok = enter_late_namespaces(plan, f) && (!mounts || add_prepared_sources(plan, prepared, sources, f)) &&
       become_inside_ids(plan, f) && rearm_parent_death(fds.release, f) && new_session_keyring(f) &&
       (!mounts || assemble_root(plan, sources, f)) &&
       (plan.memory_watch == 0 || send_tmpfs_roots(plan, fds.release, f)) &&  // tmpfs_roots.h
       join_net_namespace(plan, net, f) && set_hostname(plan, f) && setup_network(plan, f);
  if (!ok) setup_failed(fds.report, f, Exit::SetupFailed);

  init_block_signals();
  // vfork: the job borrows init's memory until its execve instead of
  // copying it (a fork's page-table copy is ~0.1 ms of a launch). Safe here
  // because job_main never returns, only writes its own stack frames below
  // this one, `environ` (which init never reads) and the small mapping its
  // seccomp step makes (left in init's memory, never read again), and
  // changes only per-process state (fds, ids, creds, signals, seccomp,
  // rlimits), which vfork does not share. Init waits until the job has
  // exec'd or died.
  pid_t job = vfork();
  if (job < 0) {
    fail(f, Step::Init, "vfork", "job", errno);
    setup_failed(fds.report, f, Exit::SetupFailed);
  }
  if (job == 0) job_main(plan, fds, idmapped);
  // The job has exec'd: init needs no privilege but signalling it.
  if (!drop_init_capabilities(!ns_on(plan, Namespace::User), f) || !die_with_parent(f)) {
    kill(job, SIGKILL);
    setup_failed(fds.report, f, Exit::SetupFailed);
  }
  close(fds.release);
  close(fds.notify);  // only the job sends on it; the parent sees EOF when it is done
  run_init(job, fds.report);
}

}  // namespace stockade
