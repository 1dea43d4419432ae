// SPDX-License-Identifier: Apache-2.0
// Mount points below the new root. Creates the missing directories of a
// target one component at a time with O_NOFOLLOW (so a symlink inside a
// bound directory can never redirect mount-point creation onto the host),
// and remembers the directories of the last target: policies list many
// targets in the same directory (a job's files, per-dependency binds), and
// those then cost one mkdir and one move_mount each instead of a walk from
// the root.
//
// Why the cache stays correct: it only ever holds the ancestors of the last
// target's final component, and mounts are attached at the final component
// (by name, relative to its parent's fd), so no cached directory is ever
// covered by a later mount. Walking down from a cached directory crosses
// mounts made below it as any lookup does.
#pragma once

#include "fail.h"

namespace stockade {

class MountPoints {
 public:
  explicit MountPoints(int root_fd) : root_(root_fd) {}
  ~MountPoints() { forget(0); }
  MountPoints(const MountPoints&) = delete;
  MountPoints& operator=(const MountPoints&) = delete;

  // The parent directory of `target` (absolute, normalised, not "/"),
  // created as needed: an O_PATH fd owned by this object, valid until the
  // next call. `*last` points at the final component inside `target`.
  int parent(const char* target, const char** last, Failure& f);

 private:
  static constexpr int kMaxDepth = 64;
  void forget(int depth);

  int root_;
  int depth_ = 0;            // cached components
  int fd_[kMaxDepth] = {};   // fd_[i]: directory after component i
  char path_[4096] = {};     // the cached components, '/'-joined, no leading '/'
  int end_[kMaxDepth] = {};  // end_[i]: length of path_ through component i
};

}  // namespace stockade
