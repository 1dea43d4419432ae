// SPDX-License-Identifier: Apache-2.0
// Overlay mounts (overlayfs), from a group of Overlay rows (policy_table.h).
// mounts.cc opens each layer directory in the child's copy of the host's
// mount table before the new root exists, with the bind sources' rule (the
// trusted prefix normally, the rest with no symlinks), as an O_PATH fd; while
// the root is assembled (after the child took its inside ids, so the
// overlay's mounter credentials are the job's root's) overlay_tree
// configures overlayfs from those fds.
//
// How the layers reach overlayfs: `lowerdir+`, `upperdir` and `workdir`
// with FSCONFIG_SET_FD where the kernel takes an fd there (6.13 and later);
// else, or with STOCKADE_OVERLAY_BY_PATH=1 in the launcher's environment (so
// tests can run the older kernels' form on a new one), `lowerdir` as the
// list /proc/self/fd/A:/proc/self/fd/B and `upperdir`/`workdir` as
// /proc/self/fd/N: the same opened directories, named in a form every
// kernel with the new mount API takes (legacy option parsing included).
#pragma once

#include <stdint.h>

#include "fail.h"
#include "plan.h"

namespace stockade {

// How many of a group's rows are lowers; `last` is the group's last row.
inline uint32_t overlay_lowers(const PlanMount& last) {
  bool upper_dir = (last.flags & table::kMountReadWrite) && !(last.flags & table::kMountUpperTmpfs);
  return last.mode - (upper_dir ? 2 : 0);
}

// "open overlay lower", "... upper" or "... work" for row k of the group.
inline const char* overlay_layer_step(const PlanMount& last, uint32_t k) {
  uint32_t lowers = overlay_lowers(last);
  return k < lowers ? "open overlay lower" : k == lowers ? "open overlay upper" : "open overlay work";
}

// A detached overlay mount of the group `rows[0 .. n)` whose layer fds are
// `fds[0 .. n)`; `tmpfs` >= 0 is the root of a tmpfs upper (attached under
// the overlay by mounts.cc) in which the upper and work directories are
// made. `userxattr`: the child is in a user namespace. Returns the fd, or -1
// with `f` filled.
int overlay_tree(const PlanMount* rows, uint32_t n, const int* fds, int tmpfs, bool userxattr, Failure& f);

}  // namespace stockade
