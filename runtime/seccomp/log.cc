// SPDX-License-Identifier: Apache-2.0
#include "seccomp/log.h"

#include <linux/seccomp.h>

#include <string.h>

#include "seccomp/kill_log.h"
#include "seccomp_names.h"
#include "text.h"

namespace stockade {

int key_arg(uint32_t arch, uint32_t nr) {
  const char* name = seccomp_names::syscall_name(arch, nr);
  if (name == nullptr) return -1;
  // strcmp, not string_view ==: each of those inlines a compare (size budget).
  if (strcmp(name, "ioctl") == 0) return 1;
  return strcmp(name, "socket") == 0 || strcmp(name, "clone") == 0 || strcmp(name, "prctl") == 0 ? 0 : -1;
}

Logged record_logged(LoggedCalls& log, const SeccompCall& call) {
  ++log.total;
  int key = key_arg(call.arch, call.nr);
  LoggedSyscall* list = log.syscalls();
  for (uint32_t i = 0; i < log.distinct; ++i) {
    LoggedSyscall& s = list[i];
    if (s.first.arch == call.arch && s.first.nr == call.nr && (key < 0 || s.first.args[key] == call.args[key])) {
      ++s.count;
      return Logged::Again;
    }
  }
  if (log.distinct == log.capacity) {
    ++log.unlisted;
    return Logged::Unlisted;
  }
  LoggedSyscall& s = list[log.distinct++];
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
