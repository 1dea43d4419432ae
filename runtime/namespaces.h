// Namespaces: which CLONE_NEW* flags a plan asks for, the clone3 call that
// creates the sandbox child in them, and those the child enters itself:
// net first thing (making a network namespace is the costliest part of a
// launch, ~0.5 ms, and the child does it while the launcher writes the id
// maps), cgroup after joining the job's cgroup, time last (it applies to
// the caller's children, i.e. the job).
#pragma once

#include <sys/types.h>

#include "fail.h"
#include "plan.h"

namespace stockade {

// Returns 0 in the child, the child's pid in the parent (with *pidfd set),
// or -1 with `f` filled. The child gets SIGCHLD as its exit signal and,
// with cgroup_fd >= 0 (a cgroup v2 directory), starts in that cgroup.
pid_t clone_sandbox(const Plan& plan, int cgroup_fd, int* pidfd, Failure& f);

bool enter_net_namespace(const Plan& plan, Failure& f);
bool enter_late_namespaces(const Plan& plan, Failure& f);

}  // namespace stockade
