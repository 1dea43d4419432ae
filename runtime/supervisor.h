// The launcher while the sandbox runs: waits on the init's pidfd (no polling
// timer), enforces the wall-time limit with a timerfd, and forwards
// SIGTERM/SIGINT/SIGHUP to init (which passes them to the job); a second
// such signal, or the time limit, SIGKILLs init, and with it the pid
// namespace. It also takes the job's seccomp listener (over the notify
// socket): a notification means the filter denied a call with a kill, so
// the supervisor records the call and kills init the same way, never
// letting the call continue.
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

// What a seccomp notification said about the denied call.
struct SeccompCall {
  uint32_t arch = 0;  // AUDIT_ARCH_*
  uint32_t nr = 0;    // as the filter saw it (x32 calls carry the x32 bit)
  uint64_t args[6] = {};
};

struct SupervisedFds {
  int sigfd;        // the forwarded signals
  int notify_sock;  // parent end of the notify socket (channel.h)
};

struct Outcome {
  int init_status = 0;      // wait status of init
  rusage usage{};           // init and everything it reaped
  bool timed_out = false;
  int forwarded = 0;        // how many signals arrived
  int first_signal = 0;
  bool seccomp_notified = false;  // killed on a seccomp notification
  SeccompCall seccomp_call{};
};

bool supervise(pid_t init, int pidfd, SupervisedFds in, uint64_t time_limit_ms, Outcome& out, Failure& f);

// Kills and reaps init after a failure in the parent's part of set-up.
void abort_sandbox(pid_t init, int pidfd);

}  // namespace stockade
