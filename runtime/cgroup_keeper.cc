// SPDX-License-Identifier: Apache-2.0
#include "cgroup_keeper.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_switch.h"

namespace stockade {
namespace {

// The keeper's stack.
constexpr size_t kStackBytes = 64 * 1024;

// Runs on its own stack in the launcher's memory (CLONE_VM, see below).
// Until the launcher is gone it makes only calls that cannot fail here, so
// it never writes the errno it shares with the launcher (same thread
// pointer): close_range on its own fd table, sigaction to SIG_IGN, and a
// blocking read of a socket whose end it alone holds (no handlers, so no
// EINTR). It does not call setsid: the launcher's setpgid may come first,
// and the EPERM would land in the launcher's errno. `arg`: its socket's fd.
int keeper_main(void* arg) {
  int sock = static_cast<int>(reinterpret_cast<intptr_t>(arg));
  // No other fds: it must not hold the worker's pipes open (CLONE_VM
  // without CLONE_FILES: this is its own copy of the table).
  if (sock > 0) syscall(SYS_close_range, 0U, static_cast<unsigned>(sock - 1), 0U);
  syscall(SYS_close_range, static_cast<unsigned>(sock + 1), ~0U, 0U);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT}) signal(sig, SIG_IGN);
  // Records "<version digit><directory>\0" until EOF (cgroup_announce).
  char buf[(kControllerCount + 2) * 520];
  size_t len = 0;
  for (;;) {
    ssize_t n = read(sock, buf + len, sizeof buf - 1 - len);
    if (n <= 0) break;  // EOF: the launcher is gone (no handlers: never EINTR)
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

bool start_cgroup_keeper(Cgroup& cg, Keeper* keeper, Failure& f) {
  *keeper = Keeper{};
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return fail(f, Step::Cgroup, "socketpair", "cgroup keeper", errno);
  // CLONE_VM: the keeper shares the launcher's memory instead of copying
  // its page tables, and neither side then takes copy-on-write faults: a
  // fork here was most of what the per-job cgroup cost a launch. Safe to
  // share: until the launcher is gone the keeper touches only its own stack
  // (keeper_main), and when the launcher dies the memory lives on as the
  // keeper's. Without CLONE_THREAD it is its own process: the launcher's
  // SIGKILL misses it.
  void* stack = mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    int err = errno;
    close(sv[0]), close(sv[1]);
    return fail(f, Step::Cgroup, "mmap", "cgroup keeper", err);
  }
  char* top = static_cast<char*>(stack) + kStackBytes;
  int pid = clone(keeper_main, top, CLONE_VM | SIGCHLD, reinterpret_cast<void*>(static_cast<intptr_t>(sv[1])));
  int err = errno;
  close(sv[1]);
  if (pid < 0) {
    close(sv[0]);
    munmap(stack, kStackBytes);
    return fail(f, Step::Cgroup, "clone(CLONE_VM)", "cgroup keeper", err);
  }
  *keeper = Keeper{pid, stack};
  cg.keeper_fd = sv[0];
  // A worker ends a job with `kill -KILL -- -PGID`, which must kill the
  // launcher but not the one process that cleans up after it: the keeper
  // leaves our process group now, before any directory exists, without
  // waiting for it to run.
  if (setpgid(pid, pid) != 0) return fail(f, Step::Cgroup, "setpgid", "cgroup keeper", errno);
  test_stop_at("keeper");
  return true;
}

void end_cgroup_keeper(Keeper& keeper, Cgroup& cg) {
  // Killed before its socket closes: EOF would set it removing directories
  // the launcher removed already.
  if (keeper.pid > 0) {
    kill(keeper.pid, SIGKILL);
    while (waitpid(keeper.pid, nullptr, 0) < 0 && errno == EINTR) {}
    // Only now: the keeper ran on it until it died.
    munmap(keeper.stack, kStackBytes);
  }
  keeper = Keeper{};
  if (cg.keeper_fd >= 0) close(cg.keeper_fd);
  cg.keeper_fd = -1;
}

}  // namespace stockade
