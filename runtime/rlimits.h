// SPDX-License-Identifier: Apache-2.0
// Resource limits for the job (setrlimit); unset ones stay inherited.
#pragma once

#include "fail.h"
#include "plan.h"
#include "text.h"

namespace stockade {

bool apply_rlimits(const Plan& plan, Failure& f);

// Where the policy's pids and memory limits have no cgroup to live in (an
// ordinary user without --cgroup), the job gets the per-process rlimits
// that come closest, set in `plan` before the clone, and `note` says which
// bound holds (the launcher prints it once):
//   pids:   RLIMIT_NPROC = PIDS_MAX. Since Linux 5.14 the kernel counts it
//           per (user namespace, uid) ("ucounts"), and each job has a user
//           namespace of its own: the count is the job's alone (init, the
//           job, every process and thread it makes, as pids.max counts),
//           never shared with the user's other jobs. Older kernels count
//           per uid over the whole machine: nothing is set there.
//   memory: RLIMIT_DATA = MEMORY_MAX per process (private writable
//           mappings, Linux 4.7+; the PROT_NONE reservations of JITs do not
//           count, mprotect to writable does). A single process stops at
//           it with ENOMEM. The job as a whole: plan.memory_watch =
//           MEMORY_MAX, the launcher's watchdog (supervisor.h) kills it
//           once its processes' resident memory and its tmpfs mounts'
//           files pass that, and the job may not make what it cannot
//           count (seccomp/shmem_guard.h).
// Each is capped at the launcher's own hard limit; a lower `nproc` of the
// policy wins.
void bound_without_cgroup(Plan& plan, TextBuf& note);

}  // namespace stockade
