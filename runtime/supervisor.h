// The launcher while the sandbox runs: waits on the init's pidfd (no polling
// timer), enforces the wall-time limit with a timerfd, and forwards
// SIGTERM/SIGINT/SIGHUP to init (which passes them to the job); a second
// such signal, or the time limit, SIGKILLs init, and with it the pid
// namespace.
#pragma once

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "fail.h"
#include "io.h"

namespace stockade {

// Blocks the forwarded signals and returns a signalfd for them. Called
// before clone, so a signal arriving during set-up is not lost.
bool take_signals(Fd& sigfd, Failure& f);

struct Outcome {
  int init_status = 0;      // wait status of init
  rusage usage{};           // init and everything it reaped
  bool timed_out = false;
  int forwarded = 0;        // how many signals arrived
  int first_signal = 0;
};

bool supervise(pid_t init, int pidfd, int sigfd, uint64_t time_limit_ms, Outcome& out, Failure& f);

// Kills and reaps init after a failure in the parent's part of set-up.
void abort_sandbox(pid_t init, int pidfd);

}  // namespace stockade
