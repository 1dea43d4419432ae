// SPDX-License-Identifier: Apache-2.0
#include "supervisor.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "channel.h"
#include "tmpfs_roots.h"

namespace stockade {
namespace {

void forwarded_set(sigset_t* set) {
  sigemptyset(set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(set, sig);
}

int send_signal(int pidfd, int sig) { return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0)); }

bool arm(int fd, uint64_t us, bool repeat) {
  itimerspec when{};
  when.it_value.tv_sec = static_cast<time_t>(us / 1000000);
  when.it_value.tv_nsec = static_cast<long>(us % 1000000) * 1000;
  if (repeat) when.it_interval = when.it_value;
  return timerfd_settime(fd, 0, &when, nullptr) == 0;
}

// The memory watchdog's queue: every pid RLIMIT_NPROC lets the job have
// (PIDS_MAX is at most 65536), mapped, its pages committed as used; freed
// with the launcher.
constexpr uint32_t kWatchTree = 65536 + 1;

// Init's tmpfs roots (tmpfs_roots.h), closed with the supervision.
struct TmpfsRoots {
  int fd[kMaxTmpfsRoots];
  uint32_t count = 0;
  TmpfsRoots() = default;
  TmpfsRoots(const TmpfsRoots&) = delete;
  TmpfsRoots& operator=(const TmpfsRoots&) = delete;
  ~TmpfsRoots() {
    for (uint32_t i = 0; i < count; ++i) close(fd[i]);
  }
};

uint64_t now_us() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
}

// When the watchdog looks again: the time the job needs, growing at
// kWatchBytesPerUs, to fill what is left below the limit, within
// [kWatchMinUs, kWatchMaxUs]; and never sooner than four times the last
// walk took, so the walks take at most a quarter of a core.
uint64_t next_watch_us(uint64_t bytes, uint64_t limit, uint64_t walk_us) {
  uint64_t us = bytes < limit ? (limit - bytes) / kWatchBytesPerUs : 0;
  us = us < kWatchMinUs ? kWatchMinUs : us > kWatchMaxUs ? kWatchMaxUs : us;
  return us < 4 * walk_us ? 4 * walk_us : us;
}

}  // namespace

bool take_signals(Fd& sigfd, Failure& f) {
  sigset_t set;
  forwarded_set(&set);
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return fail(f, Step::Supervisor, "sigprocmask", "SIG_BLOCK", errno);
  sigfd.reset(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sigfd.ok()) return fail(f, Step::Supervisor, "signalfd", "SIGTERM|SIGINT|SIGHUP", errno);
  return true;
}

bool supervise(pid_t init, int pidfd, SupervisedFds in, const table::List<sock_filter>& program, uint64_t time_limit_ms,
               uint64_t memory_max, StatsStream* stats, Outcome& out, Failure& f) {
  Fd timer;
  if (time_limit_ms != 0) {
    timer.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!timer.ok()) return fail(f, Step::Supervisor, "timerfd_create", "CLOCK_MONOTONIC", errno);
    if (!arm(timer.get(), time_limit_ms * 1000, false)) return fail(f, Step::Supervisor, "timerfd_settime", "", errno);
  }
  // The memory watchdog, where no cgroup holds the memory limit.
  Fd watch;
  TmpfsRoots tmpfs;
  pid_t* watch_queue = nullptr;
  if (memory_max != 0) {
    void* q = mmap(nullptr, kWatchTree * sizeof(pid_t), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (q == MAP_FAILED) return fail(f, Step::Supervisor, "mmap", "memory watchdog", errno);
    watch_queue = static_cast<pid_t*>(q);
    watch.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!watch.ok() || !arm(watch.get(), next_watch_us(0, memory_max, 0), false))
      return fail(f, Step::Supervisor, "timerfd", "memory watchdog", errno);
  }
  // Live stats: armed once the job said hello.
  Fd stats_timer;
  if (stats != nullptr) {
    stats_timer.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!stats_timer.ok()) return fail(f, Step::Supervisor, "timerfd_create", "CLOCK_MONOTONIC (stats)", errno);
  }
  Fd listener;
  ListenerHandover handover;  // seccomp/listener.h
  enum { kPid, kSignals, kTimer, kNotifySock, kListener, kHello, kStats, kWatch, kCount };
  // poll ignores negative fds: a slot not (or no longer) in use holds -1.
  pollfd fds[kCount] = {{pidfd, POLLIN, 0},
                        {in.sigfd, POLLIN, 0},
                        {timer.ok() ? timer.get() : -1, POLLIN, 0},
                        {in.notify_sock, POLLIN, 0},
                        {-1, POLLIN, 0},
                        {in.hello_sock, POLLIN, 0},
                        {-1, POLLIN, 0},
                        {watch.ok() ? watch.get() : -1, POLLIN, 0}};
  for (;;) {
    timespec retry{0, handover.wait_ns};
    int n = ppoll(fds, kCount, handover.pulling() ? &retry : nullptr, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(f, Step::Supervisor, "poll", "", errno);
    }
    // The listener first: a denied call counts even if init is already gone.
    if (fds[kListener].revents != 0) {
      bool killing = (fds[kListener].revents & POLLIN) != 0 && take_notification(listener.get(), program, out.seccomp);
      if (killing) send_signal(pidfd, SIGKILL);
      // One kill report is enough; POLLHUP (no task uses the filter) ends it too.
      if (killing || (fds[kListener].revents & (POLLHUP | POLLERR)) != 0) fds[kListener].fd = -1;
    }
    // Before the pid: a job that is over at once still gets its start line.
    if (fds[kHello].revents != 0) {
      // Init's tmpfs roots come first, where the watchdog asked for them.
      out.job_pid = job_pid(in.hello_sock, tmpfs.fd, &tmpfs.count, kMaxTmpfsRoots);
      // 0 after POLLHUP alone: the job never ran; else it has not said yet.
      if (out.job_pid != 0 || (fds[kHello].revents & POLLIN) == 0) fds[kHello].fd = -1;
      if (out.job_pid != 0 && stats != nullptr) {
        stats_start(*stats, out.job_pid);
        if (!arm(stats_timer.get(), uint64_t{stats->interval_ms} * 1000, true))
          return fail(f, Step::Supervisor, "timerfd_settime", "stats", errno);
        fds[kStats].fd = stats_timer.get();
      }
    }
    if (fds[kPid].revents != 0) break;
    if (fds[kWatch].fd >= 0 && fds[kWatch].revents != 0) {
      uint64_t expirations = 0;
      if (read(watch.get(), &expirations, sizeof expirations) > 0) {
        uint64_t began = now_us();
        uint32_t walked = 0;
        uint64_t bytes = tree_memory(init, watch_queue, kWatchTree, &walked) + tmpfs_bytes(tmpfs.fd, tmpfs.count);
        if (out.memory_peak < bytes) out.memory_peak = bytes;
        if (bytes > memory_max) {
          out.memory_killed = true;
          send_signal(pidfd, SIGKILL);
          // Each at once: init's death kills the rest only once init runs.
          for (uint32_t i = 1; i < walked; ++i) kill(watch_queue[i], SIGKILL);
          fds[kWatch].fd = -1;
        } else if (!arm(watch.get(), next_watch_us(bytes, memory_max, now_us() - began), false)) {
          return fail(f, Step::Supervisor, "timerfd_settime", "memory watchdog", errno);
        }
      }
    }
    if (fds[kStats].fd >= 0 && fds[kStats].revents != 0) {
      uint64_t expirations = 0;
      if (read(stats_timer.get(), &expirations, sizeof expirations) > 0) stats_sample(*stats);
    }
    if (fds[kNotifySock].revents != 0 || handover.pulling()) {
      int got = fds[kNotifySock].revents != 0 ? take_listener(in.notify_sock, handover)
                                              : pull_listener(in.notify_sock, handover);
      if (got >= 0) {
        listener.reset(got);
        fds[kListener].fd = got;
      }
      if (got != -2) fds[kNotifySock].fd = -1;  // one listener, or EOF: done with the socket
    }
    if (fds[kSignals].revents != 0) {
      signalfd_siginfo info;
      while (read(in.sigfd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        int sig = static_cast<int>(info.ssi_signo);
        if (++out.forwarded == 1) out.first_signal = sig;
        // The first signal is the job's to handle; a second means "now".
        send_signal(pidfd, out.forwarded == 1 ? sig : SIGKILL);
      }
    }
    if (fds[kTimer].fd >= 0 && fds[kTimer].revents != 0) {
      out.timed_out = true;
      send_signal(pidfd, SIGKILL);
      fds[kTimer].fd = -1;
    }
  }
  for (;;) {
    if (wait4(init, &out.init_status, 0, &out.usage) == init) return true;
    if (errno != EINTR) return fail(f, Step::Supervisor, "wait4", "init", errno);
  }
}

void abort_sandbox(pid_t init, int pidfd) {
  send_signal(pidfd, SIGKILL);
  int status = 0;
  while (waitpid(init, &status, 0) < 0 && errno == EINTR) {}
}

}  // namespace stockade
