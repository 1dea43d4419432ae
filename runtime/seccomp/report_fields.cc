// SPDX-License-Identifier: Apache-2.0
#include "seccomp/report_fields.h"

#include <signal.h>
#include <string.h>

#include "fail.h"
#include "seccomp/kill_log.h"
#include "seccomp_names.h"
#include "text.h"

namespace stockade {
namespace {

void add_call(TextBuf& json, const SeccompCall& call) {
  const char* abi = seccomp_names::abi_name(call.arch, call.nr);
  const char* name = seccomp_names::syscall_name(call.arch, call.nr);
  json.add("{\"name\": \"").add(name != nullptr ? name : "unknown");
  json.add("\", \"abi\": \"").add(abi != nullptr ? abi : "unknown");
  json.add("\", \"nr\": ").add_u64(call.nr).add(", \"args\": [");
  for (int i = 0; i < 6; ++i) (i == 0 ? json : json.add(", ")).add_u64(call.args[i]);
  json.add("]");
}

// "logged": one entry per distinct syscall (its first call's arguments,
// "count" calls in all, "key_arg" where the entry stands for calls with
// that argument's value only: log.h); "logged_calls": every LOGged call,
// including those of syscalls beyond the listed capacity.
void add_logged(const LoggedCalls& log, Room room, void* out) {
  room(out, 16).add(", \"logged\": [");
  const LoggedSyscall* list = log.syscalls();
  for (uint32_t i = 0; i < log.distinct; ++i) {
    TextBuf& json = room(out, 400);
    if (i != 0) json.add(", ");
    add_call(json, list[i].first);
    json.add(", \"count\": ").add_u64(list[i].count);
    int key = key_arg(list[i].first.arch, list[i].first.nr);
    if (key >= 0) json.add(", \"key_arg\": ").add_u64(static_cast<uint64_t>(key));
    json.add('}');
  }
  room(out, 64).add("], \"logged_calls\": ").add_u64(log.total);
}

}  // namespace

bool seccomp_notified_end(const SeccompWatch& watch, SeccompFields& out) {
  NotifiedKill why = notified_kill(watch.action, watch.continue_errno);
  bool kill = why == NotifiedKill::Kill;
  Text<640> note;
  switch (why) {
    case NotifiedKill::Kill: note.add("seccomp: job killed by the filter: "); break;
    case NotifiedKill::CannotContinue:
      note.add("seccomp: internal: the kernel refused to let a LOGged call continue (")
          .add(strerror(watch.continue_errno));
      note.add("; SECCOMP_USER_NOTIF_FLAG_CONTINUE needs Linux 5.5), sandbox killed: ");
      break;
    case NotifiedKill::Inconsistent:
      // The notify variant and the policy's program disagree: a bug, so
      // neither let the call run nor call it a kill.
      note.add("seccomp: internal: notified a call the policy's program answers ");
      note.add_hex(watch.action).add(" (not LOG or KILL), sandbox killed: ");
      break;
  }
  describe_call(watch.call, note);
  print_note(note.view());
  const char* abi = seccomp_names::abi_name(watch.call.arch, watch.call.nr);
  const char* name = seccomp_names::syscall_name(watch.call.arch, watch.call.nr);
  out.has_syscall = true;
  out.syscall_name = name != nullptr ? name : "unknown";
  out.syscall_abi = abi != nullptr ? abi : "unknown";
  out.syscall_nr = watch.call.nr;
  for (int i = 0; i < 6; ++i) out.syscall_args[i] = watch.call.args[i];
  return kill;
}

void note_seccomp_sigsys(pid_t job) {
  Text<160> note;
  note.add("seccomp: the job was killed by the seccomp filter (SIGSYS)");
  SeccompKill kill{};
  if (find_seccomp_kill(job, kill)) {
    note.add(": syscall ");
    describe_syscall(kill, note);
  }
  print_note(note.view());
}

void add_seccomp_fields(const SeccompFields& s, Room room, void* out) {
  TextBuf& json = room(out, 512);
  if (s.has_syscall) {
    json.add(", \"syscall\": {\"name\": \"").add(s.syscall_name).add("\", \"abi\": \"").add(s.syscall_abi);
    json.add("\", \"nr\": ").add_u64(s.syscall_nr).add(", \"args\": [");
    for (int i = 0; i < 6; ++i) (i == 0 ? json : json.add(", ")).add_u64(s.syscall_args[i]);
    json.add("]}");
  }
  if (s.logged != nullptr && s.logged->total != 0) add_logged(*s.logged, room, out);
}

}  // namespace stockade
