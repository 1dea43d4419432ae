// SPDX-License-Identifier: Apache-2.0
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io.h"
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
    return fail(f, cgroup_fd >= 0 && err == EACCES ? Step::CgroupJoin : Step::Namespaces, "clone3", names.view(), err),
           -1;
  }
  return static_cast<pid_t>(pid);
}

namespace {

// Syscalls without libc's errno: the helper below shares the child's memory
// and so its errno (the same thread pointer), while the child is making
// calls of its own. Returns the result or -errno.
long raw_syscall(long n, long a, long b, long c) {
#if defined(__x86_64__)
  long r;
  asm volatile("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
#else
  long r = syscall(n, a, b, c);  // errno only on a failure, which ends the launch anyway
  return r < 0 ? -errno : r;
#endif
}

enum NetStage { kNetUnshare, kNetSocket, kNetGetNs, kNetDone };

// The helper: makes the namespace, then an fd for it (SIOCGSKNS on a socket
// made in it) in the fd table it shares with the child, and exits. Its
// answer is written to `m`, which the child reads after reaping it.
int net_helper(void* arg) {
  NetMaker& m = *static_cast<NetMaker*>(arg);
  int stage = kNetUnshare;
  long r = raw_syscall(SYS_unshare, CLONE_NEWNET, 0, 0);
  if (r == 0) {
    stage = kNetSocket;
    r = raw_syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (r >= 0) {
      long sock = r;
      stage = kNetGetNs;
      r = raw_syscall(SYS_ioctl, sock, SIOCGSKNS, 0);  // O_CLOEXEC
      raw_syscall(SYS_close, sock, 0, 0);
      if (r >= 0) stage = kNetDone;
    }
  }
  m.value = static_cast<int>(r);
  m.stage = stage;
  _exit(0);
}

}  // namespace

bool start_net_namespace(const Plan& plan, NetMaker& m, Failure& f) {
  if (!ns_on(plan, Namespace::Net)) return true;
  m.stage = -1;  // the helper never answered
  // CLONE_VM, on a stack inside `m` (in sandbox_main's frame, which the
  // child only ever grows below): no copy of the child's page tables and no
  // copy-on-write faults while both run, which a fork here cost, and the
  // answer comes back through memory. CLONE_FILES: the namespace's fd lands
  // in the child's table, and the helper need not stay to hold the
  // namespace. (An fd, not setns on the helper's pidfd: that checks
  // ptrace access, and the shared memory is not dumpable once the child
  // changes ids.)
  int pid = clone(net_helper, m.stack + sizeof m.stack, CLONE_VM | CLONE_FILES | SIGCHLD, &m);
  if (pid < 0) return fail(f, Step::Namespaces, "clone(CLONE_VM|CLONE_FILES)", "network helper", errno);
  m.pid = static_cast<pid_t>(pid);
  // Not pinned to another CPU: that took ~0.06 ms off a single launch but
  // cost 8% of jobs/s with 8 launches in flight (the other CPU is then
  // busy too); the scheduler runs it wherever there is room.
  return true;
}

bool join_net_namespace(const Plan& plan, NetMaker& m, Failure& f) {
  if (!ns_on(plan, Namespace::Net)) return true;
  // Reaped first: its answer in `m` is then complete.
  while (waitpid(m.pid, nullptr, 0) < 0 && errno == EINTR) {}
  m.pid = 0;
  int err = -m.value;
  switch (m.stage) {
    case kNetDone: break;
    case kNetUnshare: return fail(f, Step::Namespaces, "unshare", "CLONE_NEWNET", err);
    case kNetSocket: return fail(f, Step::Namespaces, "socket(AF_UNIX)", "network namespace", err);
    case kNetGetNs: return fail(f, Step::Namespaces, "ioctl(SIOCGSKNS)", "network namespace", err);
    default: return fail_reason(f, Step::Namespaces, "network helper", "CLONE_NEWNET", "ended without a word");
  }
  Fd ns(m.value);
  if (setns(ns.get(), CLONE_NEWNET) != 0) return fail(f, Step::Namespaces, "setns", "CLONE_NEWNET", errno);
  return true;
}

bool enter_late_namespaces(const Plan& plan, Failure& f) {
  if (ns_on(plan, Namespace::Cgroup) && unshare(CLONE_NEWCGROUP) != 0)
    return fail(f, Step::Namespaces, "unshare", "CLONE_NEWCGROUP", errno);
  if (ns_on(plan, Namespace::Time) && unshare(CLONE_NEWTIME) != 0)
    return fail(f, Step::Namespaces, "unshare", "CLONE_NEWTIME", errno);
  return true;
}

}  // namespace stockade
