// SPDX-License-Identifier: Apache-2.0
// The calls a policy marks `LOG`, as the supervisor learns of them through
// the seccomp listener (compiler/seccomp/README.md, "Which syscall was
// denied"): a bounded record for the report, and the one-line description
// shared with the kill report. A job may make a LOGged call a million times,
// so the record keeps one entry per distinct syscall (its first call's
// arguments and a count), up to its capacity (kMaxLoggedSyscalls unless
// --logged-max says more), and a total. A few syscalls are told apart by
// the argument that says what they do (key_arg below): socket by family,
// ioctl by command, clone by flags, prctl by option, so a learned allowlist
// (stockadec learn) can name them.
#pragma once

#include <stdint.h>

namespace stockade {

class TextBuf;

// What a seccomp notification said about a call.
struct SeccompCall {
  uint32_t arch = 0;  // AUDIT_ARCH_*
  uint32_t nr = 0;    // as the filter saw it (x32 calls carry the x32 bit)
  uint64_t args[6] = {};
};

constexpr uint32_t kMaxLoggedSyscalls = 16;

struct LoggedSyscall {
  SeccompCall first;   // the first call of this syscall
  uint64_t count = 0;  // calls of it so far
};

// The argument that tells calls of (arch, nr) apart in the record: 0 for
// socket's family, clone's flags and prctl's option, 1 for ioctl's command;
// -1 for every other syscall (one entry for all its calls).
int key_arg(uint32_t arch, uint32_t nr);

struct LoggedCalls {
  LoggedSyscall own[kMaxLoggedSyscalls];
  LoggedSyscall* more = nullptr;  // capacity entries in place of `own` (--logged-max), or nullptr
  uint32_t capacity = kMaxLoggedSyscalls;
  LoggedSyscall* syscalls() { return more != nullptr ? more : own; }
  const LoggedSyscall* syscalls() const { return more != nullptr ? more : own; }
  uint32_t distinct = 0;  // entries used in syscalls()
  uint64_t total = 0;     // every LOGged call, listed or not
  uint64_t unlisted = 0;  // calls of syscalls beyond the first `capacity`
};

enum class Logged {
  First,     // the first call of a syscall: worth a line on stderr
  Again,     // counted under its entry
  Unlisted,  // the record is full: counted in `unlisted` only
};

// A syscall is its (arch, nr) and its key_arg's value: x32 and i386 calls
// are separate entries.
Logged record_logged(LoggedCalls& log, const SeccompCall& call);

// Why the supervisor killed the sandbox on a notification, from what the
// policy's program said for the call (its SECCOMP_RET_ACTION_FULL bits) and
// the errno of a refused FLAG_CONTINUE answer (0: none).
enum class NotifiedKill {
  Kill,            // the policy kills the call: exit 159
  CannotContinue,  // a LOG the kernel would not let run: internal error
  Inconsistent,    // the program allows, errors, ...: variant and program disagree
};
NotifiedKill notified_kill(uint32_t action, int continue_errno);

// "uname (63) args: 0x7ffd..., 0x0, ..." (names from seccomp_names.h).
void describe_call(const SeccompCall& call, TextBuf& out);

}  // namespace stockade
