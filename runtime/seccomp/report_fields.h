// SPDX-License-Identifier: Apache-2.0
// What a seccomp decision adds to the launcher's verdict on a job: the
// stderr line for a kill (from the listener's notification, or from the
// kernel's audit record after a plain SIGSYS), and the report's seccomp
// fields, "syscall" for a notified kill and "logged" / "logged_calls" for
// the calls the policy marks LOG (README, "--report"; report.h writes the
// rest of the object).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "seccomp/listener.h"
#include "seccomp/log.h"

namespace stockade {

class TextBuf;

struct SeccompFields {
  // The call a seccomp kill was for, when the listener reported it.
  bool has_syscall = false;
  const char* syscall_name = "";
  const char* syscall_abi = "";
  uint32_t syscall_nr = 0;
  uint64_t syscall_args[6] = {};
  // The calls let through as LOG (nullptr or empty: the "logged" fields are
  // left out).
  const LoggedCalls* logged = nullptr;
};

// The supervisor killed the sandbox on a notification (watch.notified):
// prints why on stderr and fills the report's "syscall". True for a kill
// the policy asked for (exit 159), false for an internal error (125): the
// kernel would not let a LOGged call continue, or the notify variant and
// the policy's program disagree.
bool seccomp_notified_end(const SeccompWatch& watch, SeccompFields& out);

// The job died of SIGSYS without a notification (no listener): prints the
// line, naming the syscall from the kernel log where it is found there.
void note_seccomp_sigsys(pid_t job);

// Appends the seccomp fields (", \"syscall\": {...}", ", \"logged\": [...]")
// to the report's JSON object, asking `room(out, n)` for a buffer with n
// bytes free before each piece (the report flushes between them: the
// "logged" list may hold thousands of entries).
using Room = TextBuf& (*)(void* out, size_t n);
void add_seccomp_fields(const SeccompFields& s, Room room, void* out);

}  // namespace stockade
