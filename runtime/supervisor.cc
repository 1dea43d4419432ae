// SPDX-License-Identifier: Apache-2.0
#include "supervisor.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"

namespace stockade {
namespace {

void forwarded_set(sigset_t* set) {
  sigemptyset(set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(set, sig);
}

int send_signal(int pidfd, int sig) { return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0)); }

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
               StatsStream* stats, Outcome& out, Failure& f) {
  Fd timer;
  if (time_limit_ms != 0) {
    timer.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!timer.ok()) return fail(f, Step::Supervisor, "timerfd_create", "CLOCK_MONOTONIC", errno);
    itimerspec when{};
    when.it_value.tv_sec = static_cast<time_t>(time_limit_ms / 1000);
    when.it_value.tv_nsec = static_cast<long>(time_limit_ms % 1000) * 1000000;
    if (timerfd_settime(timer.get(), 0, &when, nullptr) != 0)
      return fail(f, Step::Supervisor, "timerfd_settime", "", errno);
  }
  // Live stats: armed once the job said hello.
  Fd stats_timer;
  if (stats != nullptr) {
    stats_timer.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!stats_timer.ok()) return fail(f, Step::Supervisor, "timerfd_create", "CLOCK_MONOTONIC (stats)", errno);
  }
  Fd listener;
  ListenerHandover handover;  // seccomp/listener.h
  enum { kPid, kSignals, kTimer, kNotifySock, kListener, kHello, kStats, kCount };
  // poll ignores negative fds: a slot not (or no longer) in use holds -1.
  pollfd fds[kCount] = {{pidfd, POLLIN, 0},
                        {in.sigfd, POLLIN, 0},
                        {timer.ok() ? timer.get() : -1, POLLIN, 0},
                        {in.notify_sock, POLLIN, 0},
                        {-1, POLLIN, 0},
                        {stats != nullptr ? in.hello_sock : -1, POLLIN, 0},
                        {-1, POLLIN, 0}};
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
      out.job_pid = job_pid(in.hello_sock);  // 0 after POLLHUP alone: the job never ran
      fds[kHello].fd = -1;
      if (out.job_pid != 0) {
        stats_start(*stats, out.job_pid);
        itimerspec every{};
        every.it_interval.tv_sec = static_cast<time_t>(stats->interval_ms / 1000);
        every.it_interval.tv_nsec = static_cast<long>(stats->interval_ms % 1000) * 1000000;
        every.it_value = every.it_interval;
        if (timerfd_settime(stats_timer.get(), 0, &every, nullptr) != 0)
          return fail(f, Step::Supervisor, "timerfd_settime", "stats", errno);
        fds[kStats].fd = stats_timer.get();
      }
    }
    if (fds[kPid].revents != 0) break;
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
