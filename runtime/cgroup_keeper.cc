#include "cgroup_keeper.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stockade {

bool start_cgroup_keeper(const Cgroup& cg, pid_t* keeper_pid, Failure& f) {
  *keeper_pid = 0;
  if (cg.version == 0) return true;
  pid_t launcher = getpid();
  sigset_t death;
  sigemptyset(&death);
  sigaddset(&death, SIGUSR1);
  sigset_t old;
  // Blocked before the fork so the keeper cannot miss the signal.
  sigprocmask(SIG_BLOCK, &death, &old);
  // _Fork, not fork: no atfork handlers to run (the launcher registers
  // none), and musl's fork would bring its handler locks into the launcher.
  pid_t keeper = _Fork();
  if (keeper < 0) {
    int err = errno;
    sigprocmask(SIG_SETMASK, &old, nullptr);
    return fail(f, Step::Cgroup, "fork", "cgroup keeper", err);
  }
  if (keeper > 0) {
    sigprocmask(SIG_SETMASK, &old, nullptr);
    *keeper_pid = keeper;
    return true;
  }
  // The keeper. No fds: it must not hold the worker's pipes open.
  syscall(SYS_close_range, 0U, ~0U, 0U);
  // A session (and process group) of its own: a worker ends a job with
  // `kill -KILL -- -PGID`, which must kill the launcher but not the one
  // process that cleans up after it. (Cannot fail: a fresh child is never
  // a group leader.)
  setsid();
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT}) signal(sig, SIG_IGN);
  prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
  // The launcher may have died before the line above took effect.
  if (getppid() == launcher) {
    siginfo_t info;
    while (sigwaitinfo(&death, &info) < 0 && errno == EINTR) {
    }
  }
  Cgroup mine = cg;
  mine.into_fd = -1;  // closed above
  for (int& fd : mine.join_fd) fd = -1;
  cgroup_destroy(mine);
  _exit(0);
}

void end_cgroup_keeper(pid_t keeper) {
  if (keeper <= 0) return;
  kill(keeper, SIGKILL);
  while (waitpid(keeper, nullptr, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace stockade
