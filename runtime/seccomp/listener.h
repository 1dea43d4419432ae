// SPDX-License-Identifier: Apache-2.0
// The job's seccomp listener, from the job to the supervisor and what the
// supervisor does with it. The job installs the notify variant with
// SECCOMP_FILTER_FLAG_NEW_LISTENER (install.h) and hands the listener over
// the notify socket (channel.h), so it never holds it itself. A
// notification means the filter said LOG or KILL for a call (the notify
// variant turns both into USER_NOTIF); running the policy's original
// program on the call (bpf_eval.h) tells which. LOG: the call is recorded
// and let through (SECCOMP_USER_NOTIF_FLAG_CONTINUE; LOG means allow).
// KILL: the supervisor records the call and kills init, never letting the
// call continue. Anything else cannot have been notified: the sandbox is
// killed too, and the outcome says so.
#pragma once

#include <linux/filter.h>
#include <stdint.h>

#include "fail.h"
#include "io.h"
#include "policy_table.h"
#include "seccomp/log.h"

namespace stockade {

// Job: the seccomp listener to the parent (the push, install.h's fallback).
bool send_listener(int sock, int listener, Failure& f);

// Parent: where the handover stands. While pulling, the supervisor keeps
// serving signals and the time limit, and tries again after `wait_ns` (20 us
// first, doubling to 10 ms: a job stopped before its filter, e.g. by a
// worker's SIGSTOP, costs ~100 wake-ups a second, not a spinning core).
struct ListenerHandover {
  bool pushing = false;  // the job pushes it ('p'): its next message carries it
  Fd job;                // the job's pidfd while pulling
  int32_t slot = -1;     // the fd the listener will have in the job
  long wait_ns = 0;      // the next try while pulling; 0: not pulling
  bool pulling() const { return wait_ns != 0; }
};

// Parent: takes one message of the handover (install.h) from the notify
// socket. The job's first names the fd the listener will have and carries
// its pidfd: the listener is pulled from there with pidfd_getfd once the
// filter is in (the job is told 'g', then 'd'), or, where the kernel
// refuses us that, the job is told 'p' and pushes it. A message or EOF
// while pulling is the job's "none" (the kernel refused it the listener)
// or its end. Returns the listener's fd, -1 when none is coming (EOF, the
// job's "none"), -2 when nothing was there yet (pulling: call
// pull_listener once `h.wait_ns` has passed).
int take_listener(int sock, ListenerHandover& h);

// Parent, while pulling: one pidfd_getfd try. The same returns.
int pull_listener(int sock, ListenerHandover& h);

// What the listener told the supervisor while the job ran.
struct SeccompWatch {
  bool notified = false;  // the sandbox was killed on a seccomp notification
  SeccompCall call{};     // that notification's call
  // What the policy's program says for `call` (SECCOMP_RET_ACTION_FULL
  // bits): KILL_PROCESS or KILL_THREAD; LOG only with continue_errno set
  // (the kernel refused to let the LOGged call run); anything else means
  // the notify variant and the program disagree.
  uint32_t action = 0;
  int continue_errno = 0;
  LoggedCalls logged{};  // the calls let through as LOG
  bool learn = false;    // --learn: ALLOWed calls are notified too and recorded as LOG
};

// Takes one notification from `listener` and answers it. `program` is the
// policy's kill program (Policy::seccomp), the one the notify variant was
// made from. LOG is recorded and continued; anything else is recorded in
// `out` and the call is never answered, so it never runs. True when the
// sandbox must be killed now (the caller does it; no more notifications are
// taken).
bool take_notification(int listener, const table::List<sock_filter>& program, SeccompWatch& out);

}  // namespace stockade
