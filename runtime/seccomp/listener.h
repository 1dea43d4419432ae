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
#include "policy_table.h"
#include "seccomp/log.h"

namespace stockade {

// Job: the seccomp listener to the parent. Parent: receives it; returns the
// fd, -1 on EOF (no listener is coming), -2 when nothing was there yet.
bool send_listener(int sock, int listener, Failure& f);
int receive_listener(int sock);

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
};

// Takes one notification from `listener` and answers it. `program` is the
// policy's kill program (Policy::seccomp), the one the notify variant was
// made from. LOG is recorded and continued; anything else is recorded in
// `out` and the call is never answered, so it never runs. True when the
// sandbox must be killed now (the caller does it; no more notifications are
// taken).
bool take_notification(int listener, const table::List<sock_filter>& program, SeccompWatch& out);

}  // namespace stockade
