// SPDX-License-Identifier: Apache-2.0
// The sandbox child, from clone to execve. Two processes: init (pid 1) and
// the job, its child. Every failure goes to the launcher over the report
// pipe; nothing here prints or returns.
#pragma once

#include "cgroup.h"
#include "plan.h"

namespace stockade {

struct SandboxFds {
  int release;  // child end of the release socket
  int report;   // write end of the report pipe (CLOEXEC)
  int notify;   // child end of the notify socket: the job sends its seccomp listener
};

// `cgroup` is the child's copy of the launcher's: its join fds are the
// child's to use and close.
[[noreturn]] void sandbox_main(const Plan& plan, Cgroup& cgroup, SandboxFds fds);

}  // namespace stockade
