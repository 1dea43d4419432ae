// SPDX-License-Identifier: Apache-2.0
#include "notify_rewrite.h"

#include <sys/syscall.h>

#include "interpreter.h"

namespace stockade::seccomp {
namespace {

// The actions the launcher reports through the listener. LOG's data bits
// are ignored by the kernel, like a kill's.
bool is_reported(uint32_t action) {
  uint32_t a = action & SECCOMP_RET_ACTION_FULL;
  return a == SECCOMP_RET_KILL_PROCESS || a == SECCOMP_RET_KILL_THREAD || a == SECCOMP_RET_LOG;
}

}  // namespace

// The job's one call of its own after the filter is in
// (runtime/seccomp/install.cc): read(socket, buf, 1), waiting for the
// launcher's word that it pulled the listener (pidfd_getfd). A LOG is
// fine: the call is notified and the launcher, holding the listener by
// then, lets it run. Denied, the job would not wait and could execve before
// the listener is taken. Fd and pointer values stand for the real ones.
bool handover_allowed(const Program& kill_program) {
  SeccompData wait;
  wait.nr = SYS_read;
  wait.args[0] = 5;
  wait.args[1] = 0x7ffc00001000;
  wait.args[2] = 1;
  uint32_t a = run(kill_program, wait).action & SECCOMP_RET_ACTION_FULL;
  return a == SECCOMP_RET_ALLOW || a == SECCOMP_RET_LOG;
}

std::optional<Program> notify_variant(const Program& kill_program) {
  if (kill_program.empty() || !verify(kill_program).empty()) return std::nullopt;
  Program out = kill_program;
  bool any = false;
  for (Insn& in : out) {
    if (BPF_CLASS(in.code) != BPF_RET) continue;
    if (BPF_RVAL(in.code) != BPF_K) return std::nullopt;
    if (!is_reported(in.k)) continue;
    in.k = SECCOMP_RET_USER_NOTIF;
    any = true;
  }
  if (!any || !handover_allowed(kill_program)) return std::nullopt;
  return out;
}

ir::Seccomp notify_seccomp(const ir::Seccomp& kill) {
  Program program;
  for (const ir::BpfInsn& i : kill.program())
    program.push_back(
        Insn{static_cast<uint16_t>(i.code()), static_cast<uint8_t>(i.jt()), static_cast<uint8_t>(i.jf()), i.k()});
  ir::Seccomp out;
  std::optional<Program> variant = notify_variant(program);
  if (!variant) return out;
  for (const Insn& i : *variant) {
    ir::BpfInsn* insn = out.add_program();
    insn->set_code(i.code);
    insn->set_jt(i.jt);
    insn->set_jf(i.jf);
    insn->set_k(i.k);
  }
  return out;
}

}  // namespace stockade::seccomp
