#include "seccomp/log.h"

#include <linux/seccomp.h>

#include "seccomp/kill_log.h"
#include "text.h"

namespace stockade {

Logged record_logged(LoggedCalls& log, const SeccompCall& call) {
  ++log.total;
  for (uint32_t i = 0; i < log.distinct; ++i) {
    LoggedSyscall& s = log.syscalls[i];
    if (s.first.arch == call.arch && s.first.nr == call.nr) {
      ++s.count;
      return Logged::Again;
    }
  }
  if (log.distinct == kMaxLoggedSyscalls) {
    ++log.unlisted;
    return Logged::Unlisted;
  }
  LoggedSyscall& s = log.syscalls[log.distinct++];
  s.first = call;
  s.count = 1;
  return Logged::First;
}

NotifiedKill notified_kill(uint32_t action, int continue_errno) {
  if (continue_errno != 0) return NotifiedKill::CannotContinue;
  if (action == SECCOMP_RET_KILL_PROCESS || action == SECCOMP_RET_KILL_THREAD) return NotifiedKill::Kill;
  return NotifiedKill::Inconsistent;
}

void describe_call(const SeccompCall& call, TextBuf& out) {
  describe_syscall({call.arch, call.nr}, out);
  out.add(" args: ");
  for (int i = 0; i < 6; ++i) (i == 0 ? out : out.add(", ")).add_hex(call.args[i]);
}

}  // namespace stockade
