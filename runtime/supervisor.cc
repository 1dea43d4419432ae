#include "supervisor.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "text.h"

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
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return fail(f, "supervisor", "sigprocmask", "SIG_BLOCK", errno);
  sigfd.reset(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sigfd.ok()) return fail(f, "supervisor", "signalfd", "SIGTERM|SIGINT|SIGHUP", errno);
  return true;
}

bool supervise(pid_t init, int pidfd, int sigfd, uint64_t time_limit_ms, Outcome& out, Failure& f) {
  Fd timer;
  if (time_limit_ms != 0) {
    timer.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!timer.ok()) return fail(f, "supervisor", "timerfd_create", "CLOCK_MONOTONIC", errno);
    itimerspec when{};
    when.it_value.tv_sec = static_cast<time_t>(time_limit_ms / 1000);
    when.it_value.tv_nsec = static_cast<long>(time_limit_ms % 1000) * 1000000;
    if (timerfd_settime(timer.get(), 0, &when, nullptr) != 0) return fail(f, "supervisor", "timerfd_settime", "", errno);
  }
  pollfd fds[3] = {{pidfd, POLLIN, 0}, {sigfd, POLLIN, 0}, {timer.get(), POLLIN, 0}};
  for (;;) {
    int n = poll(fds, timer.ok() ? 3 : 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(f, "supervisor", "poll", "", errno);
    }
    if (fds[0].revents != 0) break;
    if (fds[1].revents != 0) {
      signalfd_siginfo info;
      while (read(sigfd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        int sig = static_cast<int>(info.ssi_signo);
        if (++out.forwarded == 1) out.first_signal = sig;
        // The first signal is the job's to handle; a second means "now".
        send_signal(pidfd, out.forwarded == 1 ? sig : SIGKILL);
      }
    }
    if (timer.ok() && fds[2].revents != 0) {
      out.timed_out = true;
      send_signal(pidfd, SIGKILL);
      fds[2].fd = -1;  // poll ignores negative fds
    }
  }
  for (;;) {
    if (wait4(init, &out.init_status, 0, &out.usage) == init) return true;
    if (errno != EINTR) return fail(f, "supervisor", "wait4", "init", errno);
  }
}

void abort_sandbox(pid_t init, int pidfd) {
  send_signal(pidfd, SIGKILL);
  int status = 0;
  while (waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace stockade
