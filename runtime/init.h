// SPDX-License-Identifier: Apache-2.0
// The sandbox's init (pid 1 of the new pid namespace): reaps every zombie,
// forwards SIGTERM/SIGINT/SIGHUP to the job, and when the job exits sends
// its wait status to the launcher and exits, which kills whatever is left
// in the pid namespace.
#pragma once

#include <signal.h>
#include <sys/types.h>

namespace stockade {

// Blocks the signals init waits for; call before forking the job (which
// unblocks them again).
void init_block_signals();

[[noreturn]] void run_init(pid_t job, int report_fd);

}  // namespace stockade
