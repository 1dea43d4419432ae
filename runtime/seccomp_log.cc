#include "seccomp_log.h"

#include "kill_log.h"
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

void describe_call(const SeccompCall& call, TextBuf& out) {
  describe_syscall({call.arch, call.nr}, out);
  out.add(" args: ");
  for (int i = 0; i < 6; ++i) (i == 0 ? out : out.add(", ")).add_hex(call.args[i]);
}

}  // namespace stockade
