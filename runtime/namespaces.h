// Namespaces: which CLONE_NEW* flags a plan asks for, the clone3 call that
// creates the sandbox child in them, and the two namespaces entered later by
// the child itself (cgroup: after the parent moved it into the job's cgroup;
// time: applies to the children of the caller, i.e. the job).
#pragma once

#include <sys/types.h>

#include "fail.h"
#include "plan.h"

namespace stockade {

// Returns 0 in the child, the child's pid in the parent (with *pidfd set),
// or -1 with `f` filled. The child gets SIGCHLD as its exit signal and,
// with cgroup_fd >= 0 (a cgroup v2 directory), starts in that cgroup.
pid_t clone_sandbox(const Plan& plan, int cgroup_fd, int* pidfd, Failure& f);

bool enter_late_namespaces(const Plan& plan, Failure& f);

}  // namespace stockade
