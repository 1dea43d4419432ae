// SPDX-License-Identifier: Apache-2.0
#include "tmpfs_roots.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "channel.h"
#include "io.h"

namespace stockade {
namespace {

// <linux/magic.h>: TMPFS_MAGIC, OVERLAYFS_SUPER_MAGIC (an overlay's statfs
// reports its upper's blocks under its own type).
constexpr uint64_t kTmpfsMagic = 0x01021994;
constexpr uint64_t kOverlayMagic = 0x794c7630;

bool is_tmpfs(const PlanMount& m) {
  if (m.kind == table::MountKind::Tmpfs) return true;
  // An overlay group's last row (mode: its row count) carries the upper.
  return m.kind == table::MountKind::Overlay && m.mode != 0 && (m.flags & table::kMountUpperTmpfs) != 0;
}

}  // namespace

bool send_tmpfs_roots(const Plan& plan, int release_sock, Failure& f) {
  dev_t seen[kMaxTmpfsRoots];
  uint32_t count = 0;
  for (uint32_t i = 0; i < plan.mount_count; ++i) {
    const PlanMount& m = plan.mounts[i];
    if (!is_tmpfs(m)) continue;
    // The paths are as init made them: no job has run in this root yet.
    Fd root(open(m.target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st;
    struct statfs fs;
    if (!root.ok() || fstat(root.get(), &st) != 0 || fstatfs(root.get(), &fs) != 0)
      return fail(f, Step::Mounts, "open(tmpfs, memory watchdog)", m.target, errno);
    // A later mount over the same target (a bind, as download_rust's job
    // directory over the base's /tmp) hides this one: its blocks are the
    // host disk's, not the job's memory. Two tmpfs rows at one target are
    // the same top mount.
    bool again = static_cast<uint64_t>(fs.f_type) != (m.kind == table::MountKind::Tmpfs ? kTmpfsMagic : kOverlayMagic);
    for (uint32_t j = 0; j < count; ++j) again = again || seen[j] == st.st_dev;
    if (again) continue;
    static_assert(kMaxTmpfsRoots == 16, "the reason below names the limit");
    if (count == kMaxTmpfsRoots)
      return fail_reason(f, Step::Mounts, "memory watchdog", m.target, "more than 16 tmpfs mounts to count");
    seen[count] = st.st_dev;
    if (!send_index(release_sock, static_cast<int32_t>(count++), root.get(), f)) return false;
  }
  return true;
}

uint64_t tmpfs_bytes(const int* fds, uint32_t count) {
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < count; ++i) {
    struct statfs s;
    if (fstatfs(fds[i], &s) == 0 && s.f_blocks >= s.f_bfree)
      bytes += static_cast<uint64_t>(s.f_blocks - s.f_bfree) * static_cast<uint64_t>(s.f_bsize);
  }
  return bytes;
}

}  // namespace stockade
