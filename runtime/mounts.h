// SPDX-License-Identifier: Apache-2.0
// The sandbox's file system: a fresh tmpfs root holding exactly the policy's
// mounts, then pivot_root into it and detach the old root. Runs in the
// sandbox child, in its own mount namespace, so nothing here can leave a
// mount behind on the host.
#pragma once

#include <sys/stat.h>

#include "capacity.h"
#include "fail.h"
#include "plan.h"

namespace stockade {

// Bind sources opened as detached mount trees (open_tree) before the new
// root exists, so no staging mount can hide a source. Index = plan mount
// index; -1 = not a bind, kSkipped = optional source missing.
// Overlay rows hold their layer directory here too, as an O_PATH fd.
struct MountSources {
  int fd[kMaxMounts];
  bool is_dir[kMaxMounts];
  // Hundreds of list binds are held open at once: the soft RLIMIT_NOFILE is
  // raised for that (up to the hard limit) and put back once they are closed.
  bool nofile_raised = false;
  uint64_t nofile_soft = 0;
  bool userxattr;  // in a user namespace: overlays take `userxattr` (overlay.h)
};
constexpr int kSkipped = -2;

// Opens a bind source as a detached clone (open_tree, `recursive` for binds).
// The trusted prefix (PlanMount::source_trusted_len) is resolved normally;
// the rest beneath it with no symlinks at all (RESOLVE_NO_SYMLINKS |
// RESOLVE_BENEATH), so a link a job planted in its read-write directory can
// never point a later bind at a host file. Returns the fd, or -1 with errno.
// `dirs` (optional) keeps the last trusted prefix open: consecutive binds
// from one job directory then do not open it again.
struct TrustedDir {
  char path[4096] = {};
  int fd = -1;
  ~TrustedDir();
};
// `st` receives the tree's stat (a link is refused with ELOOP).
int open_source_tree(const PlanMount& m, bool recursive, TrustedDir* dirs, struct stat* st);

// Two steps, so the child opens most sources while the launcher is still
// writing its id maps: first every bind and device source except the rw
// binds (which the launcher may idmap), then the rw binds once the release
// came: `prepared[i]` >= 0 is a tree the launcher made, used instead of
// opening the source here. `out` owns the fds; on failure they are closed.
// (Before the id maps exist the child's credentials are the same as after
// them and before become_inside_ids: what it may open does not change.)
bool open_mount_sources(const Plan& plan, MountSources& out, Failure& f);
bool add_prepared_sources(const Plan& plan, const int* prepared, MountSources& out, Failure& f);

// Builds the new root from the sources and the other mounts, pivots into it
// and detaches the old root. Closes every source fd.
bool assemble_root(const Plan& plan, MountSources& sources, Failure& f);

}  // namespace stockade
