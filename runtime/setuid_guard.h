// A small seccomp filter the launcher adds when a read-write bind is
// idmapped. Through such a bind the job's files land on the host's disk as
// root's (that is what makes root-owned job files writable), so a job that
// set the setuid or setgid bit would mint a set-id-root program on the
// host. The guard refuses exactly that: chmod-family calls and file
// creation (open/creat/mknod) with S_ISUID or S_ISGID in the mode fail with
// EPERM; openat2 and io_uring_setup, whose modes a filter cannot read, fail
// with ENOSYS so programs fall back to plain openat. x86-64, x32 and i386
// entry points alike. Stacks with the policy's own filter (the stricter
// answer wins).
#pragma once

#include "fail.h"

namespace stockade {

bool install_setuid_guard(Failure& f);

}  // namespace stockade
