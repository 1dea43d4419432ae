// SPDX-License-Identifier: Apache-2.0
// Installs the policy's precompiled classic-BPF filter. Called last before
// execve: after it, only the job's own syscalls should need to pass, so the
// filter need not allow any of the set-up calls.
#pragma once

#include <linux/filter.h>

#include "fail.h"
#include "policy_table.h"

namespace stockade {

bool install_seccomp(const table::List<sock_filter>& program, Failure& f);

// The job's last step: where the policy has a notify variant (kills and LOG
// turned into USER_NOTIF), install it with SECCOMP_FILTER_FLAG_NEW_LISTENER, send
// the listener over `notify_sock` to the launcher, and close both, so the
// job never holds the listener: the launcher pulls it with pidfd_getfd,
// so the job needs no call of its own (sendmsg, close) that the filter
// might notify. If the kernel refuses the listener (no USER_NOTIF, or the
// job's parent filters already have one) or the launcher cannot pull it,
// install the kill program instead. `guard`: put the set-id guard at the
// head of whichever is installed (setuid_guard.h). `learn` (--learn):
// build the variant even without patches, with every ALLOW notified too.
bool install_seccomp_reporting(const table::Policy& policy, int notify_sock, bool guard, bool learn, Failure& f);

}  // namespace stockade
