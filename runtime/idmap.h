// SPDX-License-Identifier: Apache-2.0
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

// For each read-write bind: a detached clone of the source, idmapped so
// that the source's owner on disk is the job's host id (idmap.cc has the
// arithmetic): the job may write what the owner may, and the files it
// creates belong to the owner. So a worker that prepares the job directory
// as an unprivileged user gets that user's files back, never root's; a
// root-owned job directory gets root-owned files (the set-id guard,
// setuid_guard.h, keeps any of them from being set-id). One throwaway user
// namespace per distinct owner names the mapping, or the sandbox's own
// (`child`'s, its maps written) where that maps exactly the owner to the job. prepared[i] = fd,
// kSkipped (-2) for a missing optional source, or -1: the child makes a
// plain bind (not a rw bind, or the fallback where the filesystem cannot
// be idmapped: then the job writes as its own host id, 65534 by default,
// only where the host permissions let it, with one note on stderr).
// Root launcher only. Returns false only on hard errors, with every
// prepared fd closed.
bool prepare_idmapped_binds(const Plan& plan, pid_t child, int* prepared, Failure& f);

// In the sandbox child: with a user namespace, become the first map's inside
// ids (so files the set-up creates belong to the job); without one, keep
// root until the job drops to the outside ids.
bool become_inside_ids(const Plan& plan, Failure& f);

// In the job: the final ids. user ns: inside ids; none: the outside ids
// (root launcher only), with supplementary groups cleared.
bool set_job_ids(const Plan& plan, Failure& f);

}  // namespace stockade
