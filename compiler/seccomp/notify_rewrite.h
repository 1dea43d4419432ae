// SPDX-License-Identifier: Apache-2.0
// The "notify variant" of a finished seccomp program: the same program with
// every kill (`ret KILL_PROCESS`, `ret KILL_THREAD`) and every `ret LOG`
// turned into `ret USER_NOTIF`. The launcher installs it with a listener, so
// its supervisor learns the call's number and arguments: a killed call
// before it kills the sandbox itself, a LOGged one before it lets it run
// (README.md, "Which syscall was denied"). A notification does not say which
// it was; the supervisor runs the original program on the call to find out,
// so both programs are emitted. A pure pass: the launcher compiles nothing.
#pragma once

#include <optional>

#include "bpf.h"
#include "policy_ir.pb.h"

namespace stockade::seccomp {

// The rewritten program, or nullopt when no variant is safe to use:
//  - the program has no kill and no LOG, so there is nothing to report;
//  - it returns the accumulator (`ret A`), whose action cannot be rewritten;
//  - it denies the one call the job makes between installing the filter
//    and execve (a read for the launcher's word that it holds the
//    listener: handover_allowed).
// An ordinary user's launcher cannot pull the listener; the job then pushes
// it (sendmsg, close), only where the variant allows those unnotified
// (runtime/seccomp/install.cc checks), else it installs the kill program.
std::optional<Program> notify_variant(const Program& kill_program);

// True when the kill program allows or LOGs the job's read after the filter.
bool handover_allowed(const Program& kill_program);

// The same on the IR: a Seccomp holding only the variant's program, empty
// when there is none.
ir::Seccomp notify_seccomp(const ir::Seccomp& kill);

}  // namespace stockade::seccomp
