#include "cgroup_keeper.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stockade {
namespace {

// The keeper's stack; its own copy of the cgroup sits at the bottom.
constexpr size_t kStackBytes = 64 * 1024;

struct KeeperStart {
  Cgroup cg;  // a copy made before the clone: the launcher's goes on changing
  pid_t launcher;
  sigset_t death;
};

// Runs on its own stack in the launcher's memory (CLONE_VM, see below). Until
// the launcher dies it makes only calls that cannot fail here, so it never
// writes the errno it shares with the launcher (same thread pointer): it has
// no signal handlers, so sigwaitinfo never sees EINTR.
int keeper_main(void* arg) {
  KeeperStart& s = *static_cast<KeeperStart*>(arg);
  // No fds: it must not hold the worker's pipes open (CLONE_VM without
  // CLONE_FILES: this is its own copy of the table).
  syscall(SYS_close_range, 0U, ~0U, 0U);
  // A session (and process group) of its own: a worker ends a job with
  // `kill -KILL -- -PGID`, which must kill the launcher but not the one
  // process that cleans up after it. (Cannot fail: a fresh child is never
  // a group leader.)
  setsid();
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT}) signal(sig, SIG_IGN);
  prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
  // The launcher may have died before the line above took effect.
  if (getppid() == s.launcher) {
    siginfo_t info;
    while (sigwaitinfo(&s.death, &info) < 0 && errno == EINTR) {
    }
  }
  cgroup_destroy(s.cg);
  _exit(0);
}

}  // namespace

bool start_cgroup_keeper(const Cgroup& cg, Keeper* keeper, Failure& f) {
  *keeper = Keeper{};
  if (cg.version == 0) return true;
  // CLONE_VM: the keeper shares the launcher's memory instead of copying
  // its page tables, and neither side then takes copy-on-write faults: a
  // fork here was most of what the per-job cgroup cost a launch. Safe to
  // share: the keeper reads only its own copy below and its own stack, and
  // when the launcher dies the memory lives on as the keeper's. Without
  // CLONE_THREAD it is its own process: the launcher's SIGKILL misses it.
  void* stack = mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return fail(f, Step::Cgroup, "mmap", "cgroup keeper", errno);
  auto* start = static_cast<KeeperStart*>(stack);
  start->cg = cg;
  start->cg.into_fd = -1;  // closed in the keeper
  for (int& fd : start->cg.join_fd) fd = -1;
  start->launcher = getpid();
  sigemptyset(&start->death);
  sigaddset(&start->death, SIGUSR1);
  sigset_t old;
  // Blocked before the clone so the keeper cannot miss the signal.
  sigprocmask(SIG_BLOCK, &start->death, &old);
  char* top = static_cast<char*>(stack) + kStackBytes;
  int pid = clone(keeper_main, top, CLONE_VM | SIGCHLD, start);
  int err = errno;
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (pid < 0) {
    munmap(stack, kStackBytes);
    return fail(f, Step::Cgroup, "clone(CLONE_VM)", "cgroup keeper", err);
  }
  *keeper = Keeper{pid, stack};
  return true;
}

void end_cgroup_keeper(Keeper& keeper) {
  if (keeper.pid <= 0) return;
  kill(keeper.pid, SIGKILL);
  while (waitpid(keeper.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  // Only now: the keeper ran on it until it died.
  munmap(keeper.stack, kStackBytes);
  keeper = Keeper{};
}

}  // namespace stockade
