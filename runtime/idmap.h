// User and group ids. The parent writes the child's uid_map/gid_map
// (setgroups denied) and, as root, prepares idmapped trees for read-write
// binds; the job sets its final ids just before dropping capabilities.
#pragma once

#include <sys/types.h>

#include "fail.h"
#include "plan.h"

namespace stockade {

// Rootless: the only id an unprivileged launcher may map is its own, so the
// policy's first inside id maps to getuid()/getgid(), count 1.
bool write_id_maps(pid_t child, const Plan& plan, bool rootless, Failure& f);

// The user namespace whose maps describe the idmapped binds: the child's
// own, or, when the policy turns the user namespace off, a throwaway one
// with the same maps (an idmapped mount needs some namespace to name its
// mapping). Root launcher only. Returns an fd or -1 with `f` filled.
int open_mapping_userns(pid_t child, const Plan& plan, Failure& f);

// For each read-write bind: a detached clone of the source made idmapped
// with `userns_fd`, so host files owned by the launching user (see idmap.cc
// for the id arithmetic) are owned by the job. prepared[i] = fd, kSkipped
// (-2) for a missing optional source, or -1 (let the child do a plain
// bind). Returns false only on hard errors.
bool prepare_idmapped_binds(int userns_fd, const Plan& plan, int* prepared, Failure& f);

// In the sandbox child: with a user namespace, become the first map's inside
// ids (so files the set-up creates belong to the job); without one, keep
// root until the job drops to the outside ids.
bool become_inside_ids(const Plan& plan, Failure& f);

// In the job: the final ids. user ns: inside ids; none: the outside ids
// (root launcher only), with supplementary groups cleared.
bool set_job_ids(const Plan& plan, Failure& f);

}  // namespace stockade
