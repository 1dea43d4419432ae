// SPDX-License-Identifier: Apache-2.0
// The job's tmpfs mounts, for the memory watchdog (supervisor.h). A file a
// job writes into a tmpfs is memory, which a memory cgroup charges to the
// job but no process's RSS shows once nothing maps it. So where the
// watchdog holds the limit, init opens the root of each tmpfs mount (and of
// each overlay with a tmpfs upper, whose statfs is its upper's) once the
// root is assembled, before the job exists, and sends the descriptors to
// the launcher over the release socket (channel.h). The launcher adds their
// used blocks (fstatfs) to the processes' sum at every look: no path is
// resolved in the sandbox after the job started, and the launcher needs no
// access to init's /proc files (init is not dumpable).
#pragma once

#include <stdint.h>

#include "fail.h"
#include "plan.h"

namespace stockade {

// At most this many (a shipped policy has one or two); more fails set-up.
constexpr uint32_t kMaxTmpfsRoots = 16;

// Init, in the assembled root: one message per distinct tmpfs mount.
bool send_tmpfs_roots(const Plan& plan, int release_sock, Failure& f);

// The launcher: the bytes in use on the mounts behind `fds`.
uint64_t tmpfs_bytes(const int* fds, uint32_t count);

}  // namespace stockade
