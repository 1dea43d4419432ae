#include "cgroup_keeper.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_switch.h"

namespace stockade {
namespace {

// The keeper: its end of the socket is fd `sock`.
[[noreturn]] void keep(int sock) {
  // No other fds: it must not hold the worker's pipes open.
  if (sock > 0) syscall(SYS_close_range, 0U, static_cast<unsigned>(sock - 1), 0U);
  syscall(SYS_close_range, static_cast<unsigned>(sock + 1), ~0U, 0U);
  // A session of its own, unless the launcher's setpgid came first (then
  // a process group of its own, and setsid fails): out of the launcher's
  // group either way.
  setsid();
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT}) signal(sig, SIG_IGN);
  // Records "<version digit><directory>\0" until EOF (cgroup_announce).
  char buf[(kControllerCount + 2) * 520];
  size_t len = 0;
  for (;;) {
    ssize_t n = read(sock, buf + len, sizeof buf - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += static_cast<size_t>(n);
    if (len == sizeof buf - 1) break;  // never: the launcher makes at most kControllerCount + 1
  }
  buf[len] = '\0';
  for (const char* p = buf; p < buf + len; p += strlen(p) + 1) {
    if (p[0] != '1' && p[0] != '2') continue;
    Cgroup one;
    one.version = p[0] - '0';
    TextBuf(one.dir[0], sizeof one.dir[0]).add(p + 1);
    cgroup_destroy(one);
  }
  _exit(0);
}

}  // namespace

bool start_cgroup_keeper(Cgroup& cg, pid_t* keeper_pid, Failure& f) {
  *keeper_pid = 0;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return fail(f, Step::Cgroup, "socketpair", "cgroup keeper", errno);
  // _Fork, not fork: no atfork handlers to run (the launcher registers
  // none), and musl's fork would bring its handler locks into the launcher.
  pid_t keeper = _Fork();
  if (keeper == 0) keep(sv[1]);
  int err = errno;
  close(sv[1]);
  if (keeper < 0) return close(sv[0]), fail(f, Step::Cgroup, "fork", "cgroup keeper", err);
  *keeper_pid = keeper;
  cg.keeper_fd = sv[0];
  // A worker ends a job with `kill -KILL -- -PGID`, which must kill the
  // launcher but not the one process that cleans up after it: the keeper
  // leaves our process group now, before any directory exists, without
  // waiting for it to run (EPERM: its setsid came first, as good).
  if (setpgid(keeper, keeper) != 0 && errno != EPERM)
    return fail(f, Step::Cgroup, "setpgid", "cgroup keeper", errno);
  test_stop_at("keeper");
  return true;
}

void end_cgroup_keeper(pid_t keeper, Cgroup& cg) {
  // Killed before its socket closes: EOF would set it removing directories
  // the launcher removed already.
  if (keeper > 0) {
    kill(keeper, SIGKILL);
    while (waitpid(keeper, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (cg.keeper_fd >= 0) close(cg.keeper_fd);
  cg.keeper_fd = -1;
}

}  // namespace stockade
