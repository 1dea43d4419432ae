// SPDX-License-Identifier: Apache-2.0
// The fallback for Landlock's abstract-unix-socket scope (landlock.h) on
// kernels before 6.12: a small seccomp filter, stacked under the policy's,
// that refuses to create unix sockets. Abstract socket names belong to the
// network namespace, so under `network host` a job with a unix socket could
// connect to (or bind over) the host's abstract sockets: D-Bus, containerd,
// the worker's own. A filter cannot read connect()'s address, so it stops
// the socket earlier:
//   socket(AF_UNIX, ...)                  EPERM
//   socketpair(AF_UNIX, SOCK_DGRAM, ...)  EPERM (a datagram end may still
//                                         sendto() any address)
//   socketcall(SYS_SOCKET | SYS_SOCKETPAIR)  ENOSYS (i386: the arguments sit
//                                         in memory the filter cannot read)
//   io_uring_setup                        ENOSYS (IORING_OP_SOCKET makes sockets
//                                         no filter sees; programs fall back)
// Stream and seqpacket socketpairs stay: they are born connected to each
// other and can never be pointed at a name. x86-64, x32 and i386.
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "fail.h"

namespace stockade {

// Installs the guard as a filter of its own (after no_new_privs, or with
// CAP_SYS_ADMIN). Its EPERM wins over the policy's ALLOW, and the policy's
// KILL over its EPERM: stacked filters take the strictest answer.
bool install_unix_guard(Failure& f);

// The program, for tests that run it through bpf_eval.
size_t unix_guard_length();
const sock_filter* unix_guard_program();

}  // namespace stockade
