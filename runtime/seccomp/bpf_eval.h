// SPDX-License-Identifier: Apache-2.0
// Runs one of the policy's own seccomp programs on a seccomp_data, the way
// the kernel would, to learn which action the filter meant. The supervisor
// needs this because a USER_NOTIF notification does not carry the filter's
// return value: the notify variant turns both LOG and KILL into USER_NOTIF,
// and the original program (Policy::seccomp) tells them apart again.
//
// The programs are the compiler's own output, verified at build time
// (compiler/seccomp/interpreter.h); still, anything the evaluator does not
// know or that would leave the program (a bad jump, offset or scratch slot,
// no return at the end) answers SECCOMP_RET_KILL_PROCESS, never ALLOW.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>

namespace stockade {

// The seccomp return value (action and data bits) for `d`.
uint32_t bpf_eval(const sock_filter* program, uint32_t count, const seccomp_data& d);

}  // namespace stockade
