// SPDX-License-Identifier: Apache-2.0
// The memory watchdog's companion (supervisor.h), for a job with a memory
// limit and no memory cgroup: a small seccomp filter, stacked under the
// policy's, that refuses the shared memory the watchdog cannot see. The
// watchdog sums what the job's processes map (RssAnon + RssShmem) and what
// its tmpfs mounts hold (statfs); a memfd or a System V segment that is
// written and then unmapped (or never mapped: write(2) into a memfd) is in
// neither, lives as long as an fd (or the IPC namespace) holds it, and is
// bounded only by RLIMIT_FSIZE per file. So here:
//   memfd_create, memfd_secret   ENOSYS
//   shmget                       ENOSYS (no segment, so no shmat either)
//   ipc(SHMGET)                  ENOSYS (i386's multiplexer: its call number
//                                is the low 16 bits of the first argument)
// ENOSYS, as on a kernel without them: programs that can do without fall
// back (to /dev/shm, a tmpfs file, anonymous shared mappings), all of which
// the watchdog counts. A memory cgroup charges every page wherever it is,
// so with one (root, --cgroup) the guard is not installed. x86-64, x32 and
// i386; another ABI is left to the policy's filter.
#pragma once

#include <linux/filter.h>
#include <stddef.h>

#include "fail.h"

namespace stockade {

// Installs the guard as a filter of its own (after no_new_privs, or with
// CAP_SYS_ADMIN); the policy's KILL still wins over its ENOSYS.
bool install_shmem_guard(Failure& f);

// The program, for tests that run it through bpf_eval.
size_t shmem_guard_length();
const sock_filter* shmem_guard_program();

}  // namespace stockade
