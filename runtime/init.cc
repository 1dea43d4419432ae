// SPDX-License-Identifier: Apache-2.0
#include "init.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "channel.h"

namespace stockade {
namespace {

void fill_set(sigset_t* set) {
  sigemptyset(set);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(set, sig);
}

// A handler, not SIG_DFL: pid 1 of a namespace drops signals it has no
// handler for. The signals stay blocked and are taken by sigwaitinfo.
void ignore_handler(int) {}

}  // namespace

void init_block_signals() {
  sigset_t set;
  fill_set(&set);
  struct sigaction sa {};
  sa.sa_handler = ignore_handler;
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaction(sig, &sa, nullptr);
  sigprocmask(SIG_BLOCK, &set, nullptr);
}

void run_init(pid_t job, int report_fd) {
  // Without a pid namespace, orphans of the job still come back to us.
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  sigset_t set;
  fill_set(&set);
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    if (sig < 0) continue;  // EINTR
    if (sig != SIGCHLD) {
      kill(job, sig);
      continue;
    }
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != job) continue;
      send_job_status(report_fd, status);
      // The exit code repeats the status for the case the pipe is gone.
      _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
  }
}

}  // namespace stockade
