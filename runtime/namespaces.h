// SPDX-License-Identifier: Apache-2.0
// Namespaces: which CLONE_NEW* flags a plan asks for, the clone3 call that
// creates the sandbox child in them, and those the child enters itself:
// net (made by a helper, below), cgroup after joining the job's cgroup,
// time last (it applies to the caller's children, i.e. the job).
#pragma once

#include <sys/types.h>

#include "fail.h"
#include "plan.h"

namespace stockade {

// Returns 0 in the child, the child's pid in the parent (with *pidfd set),
// or -1 with `f` filled. The child gets SIGCHLD as its exit signal and,
// with cgroup_fd >= 0 (a cgroup v2 directory), starts in that cgroup.
pid_t clone_sandbox(const Plan& plan, int cgroup_fd, int* pidfd, Failure& f);

// Making a network namespace is the costliest single step of a launch
// (~0.6 ms of kernel time). A helper process, cloned by the sandbox child
// first thing (sharing its memory and fd table, on the small stack below),
// makes it while the child opens sources, waits for its id maps and builds
// the root (in parallel where a CPU is free), leaves an fd for it in the
// shared table and exits; the child then reaps it and joins with setns.
struct NetMaker {
  pid_t pid = 0;
  int stage = -1;                // what the helper reached (namespaces.cc NetStage); -1: no answer
  int value = 0;                 // the namespace's fd, or -errno of the failed stage
  alignas(16) char stack[8192];  // the helper's
};
bool start_net_namespace(const Plan& plan, NetMaker& maker, Failure& f);
bool join_net_namespace(const Plan& plan, NetMaker& maker, Failure& f);
bool enter_late_namespaces(const Plan& plan, Failure& f);

}  // namespace stockade
