// SPDX-License-Identifier: Apache-2.0
// A small seccomp filter the launcher adds when a read-write bind is
// idmapped. Through such a bind the job's files land on the host's disk as
// the source owner's (idmap.h; root's for a root-owned job directory), so a
// job that set the setuid or setgid bit would mint a set-id program of that
// owner on the host. The guard refuses exactly that: chmod-family calls and file
// creation (open/creat/mknod) with S_ISUID or S_ISGID in the mode fail with
// EPERM; openat2 and io_uring_setup, whose modes a filter cannot read, fail
// with ENOSYS so programs fall back to plain openat. x86-64, x32 and i386
// entry points alike.
//
// Where the policy has a filter and the job gets no_new_privs, the guard is
// the head of that filter (one filter to check, compile and run instead of
// two): its ALLOW answers jump to the policy's program, so its EPERM and
// ENOSYS come first for the calls it guards. Otherwise it is a filter of
// its own, installed while CAP_SYS_ADMIN still holds.
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "fail.h"

namespace stockade {

bool install_setuid_guard(Failure& f);

// The guard as the head of another program: `out` gets
// setuid_guard_length() instructions whose ALLOW answers jump to the
// instruction right after them.
size_t setuid_guard_length();
void write_setuid_guard_head(sock_filter* out);

}  // namespace stockade
