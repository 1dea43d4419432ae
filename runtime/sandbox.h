// The sandbox child, from clone to execve. Two processes: init (pid 1) and
// the job, its child. Every failure goes to the launcher over the report
// pipe; nothing here prints or returns.
#pragma once

#include "plan.h"

namespace stockade {

struct SandboxFds {
  int release;  // child end of the release socket
  int report;   // write end of the report pipe (CLOEXEC)
  int notify;   // child end of the notify socket: the job sends its seccomp listener
};

[[noreturn]] void sandbox_main(const Plan& plan, SandboxFds fds);

}  // namespace stockade
