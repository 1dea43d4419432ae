#include "namespaces.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "text.h"

namespace stockade {
namespace {

using table::Namespace;

// struct clone_args from <linux/sched.h> up to `cgroup`
// (CLONE_ARGS_SIZE_VER2 = 88 bytes); spelled here because that header
// clashes with musl's <sched.h>.
struct CloneArgs {
  uint64_t flags;
  uint64_t pidfd;
  uint64_t child_tid;
  uint64_t parent_tid;
  uint64_t exit_signal;
  uint64_t stack;
  uint64_t stack_size;
  uint64_t tls;
  uint64_t set_tid;
  uint64_t set_tid_size;
  uint64_t cgroup;
};
static_assert(sizeof(CloneArgs) == 88);

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

struct FlagName {
  Namespace ns;
  uint64_t flag;
  const char* name;
};
constexpr FlagName kCloneFlags[] = {
    {Namespace::User, CLONE_NEWUSER, "CLONE_NEWUSER"}, {Namespace::Mount, CLONE_NEWNS, "CLONE_NEWNS"},
    {Namespace::Pid, CLONE_NEWPID, "CLONE_NEWPID"},    {Namespace::Ipc, CLONE_NEWIPC, "CLONE_NEWIPC"},
    {Namespace::Uts, CLONE_NEWUTS, "CLONE_NEWUTS"},
};

}  // namespace

pid_t clone_sandbox(const Plan& plan, int cgroup_fd, int* pidfd, Failure& f) {
  CloneArgs args{};
  Text<160> names;
  for (const FlagName& n : kCloneFlags) {
    if (!ns_on(plan, n.ns)) continue;
    args.flags |= n.flag;
    names.add(names.size() ? "|" : "").add(n.name);
  }
  args.flags |= CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uintptr_t>(pidfd);
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
    names.add("|CLONE_INTO_CGROUP");
  }
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) {
    // EACCES with CLONE_INTO_CGROUP is the cgroup refusing the move, not the namespaces.
    int err = errno;
    return fail(f, cgroup_fd >= 0 && err == EACCES ? Step::CgroupJoin : Step::Namespaces, "clone3", names.view(), err), -1;
  }
  return static_cast<pid_t>(pid);
}

bool start_net_namespace(const Plan& plan, NetMaker& m, Failure& f) {
  if (!ns_on(plan, Namespace::Net)) return true;
  int ready[2], hold[2];
  if (pipe2(ready, O_CLOEXEC) != 0) return fail(f, Step::Namespaces, "pipe2", "network helper", errno);
  if (pipe2(hold, O_CLOEXEC) != 0) {
    close(ready[0]);
    close(ready[1]);
    return fail(f, Step::Namespaces, "pipe2", "network helper", errno);
  }
  CloneArgs args{};
  args.flags = CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uintptr_t>(&m.pidfd);
  args.exit_signal = SIGCHLD;
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid == 0) {
    // The helper: make the namespace, say so, stay until the child joined.
    close(ready[0]);
    close(hold[1]);
    int err = unshare(CLONE_NEWNET) == 0 ? 0 : errno;
    (void)!write(ready[1], &err, sizeof err);
    char byte;
    while (read(hold[0], &byte, 1) > 0) {
    }
    _exit(0);
  }
  int err = errno;
  close(ready[1]);
  close(hold[0]);
  m.ready = ready[0];
  m.hold = hold[1];
  if (pid < 0) return fail(f, Step::Namespaces, "clone3", "network helper", err);
  m.pid = static_cast<pid_t>(pid);
  // Not pinned to another CPU: that took ~0.06 ms off a single launch but
  // cost 8% of jobs/s with 8 launches in flight (the other CPU is then
  // busy too); the scheduler runs it wherever there is room.
  return true;
}

bool join_net_namespace(const Plan& plan, NetMaker& m, Failure& f) {
  if (!ns_on(plan, Namespace::Net)) return true;
  int err = -1;
  bool told = read(m.ready, &err, sizeof err) == static_cast<ssize_t>(sizeof err);
  bool ok = true;
  if (!told) {
    ok = fail_reason(f, Step::Namespaces, "network helper", "CLONE_NEWNET", "ended without a word");
  } else if (err != 0) {
    ok = fail(f, Step::Namespaces, "unshare", "CLONE_NEWNET", err);
  } else if (setns(m.pidfd, CLONE_NEWNET) != 0) {
    // setns on a pidfd needs Linux 5.8: make our own instead.
    if (errno != EINVAL || unshare(CLONE_NEWNET) != 0) ok = fail(f, Step::Namespaces, "setns", "CLONE_NEWNET", errno);
  }
  close(m.hold);
  close(m.ready);
  close(m.pidfd);
  while (waitpid(m.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  m = NetMaker{};
  return ok;
}

bool enter_late_namespaces(const Plan& plan, Failure& f) {
  if (ns_on(plan, Namespace::Cgroup) && unshare(CLONE_NEWCGROUP) != 0)
    return fail(f, Step::Namespaces, "unshare", "CLONE_NEWCGROUP", errno);
  if (ns_on(plan, Namespace::Time) && unshare(CLONE_NEWTIME) != 0)
    return fail(f, Step::Namespaces, "unshare", "CLONE_NEWTIME", errno);
  return true;
}

}  // namespace stockade
