// SPDX-License-Identifier: Apache-2.0
#include "overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capacity.h"
#include "io.h"
#include "mount_api.h"
#include "text.h"

namespace stockade {

using namespace mountapi;

int overlay_tree(const PlanMount* rows, uint32_t n, const int* fds, int tmpfs, bool userxattr, Failure& f) {
  const PlanMount& m = rows[n - 1];
  const uint32_t lowers = overlay_lowers(m);
  constexpr Step kStep = Step::Mounts;
  // The layers as overlayfs takes them: the lowers, then upper and work
  // (the opened ones, or two directories made in the tmpfs upper).
  // open_mount_sources bounded n.
  int fd[kMaxOverlayLowers + 4];
  for (uint32_t k = 0; k < n; ++k) fd[k] = fds[k];
  Fd made[2];
  const char* const dirs[2] = {"upper", "work"};
  for (int d = 0; d < 2 && tmpfs >= 0; ++d) {
    if (mkdirat(tmpfs, dirs[d], 0755) != 0 ||
        !(made[d] = Fd(openat(tmpfs, dirs[d], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC))).ok())
      return fail(f, kStep, "mkdir(tmpfs upper)", m.target, errno), -1;
    fd[n++] = made[d].get();
  }
  const char* env = getenv("STOCKADE_OVERLAY_BY_PATH");
  bool by_path = env != nullptr && env[0] == '1';
  for (;;) {
    Fd ctx(fsopen("overlay", kFsopenCloexec));
    if (!ctx.ok()) return fail(f, kStep, "fsopen(overlay)", m.target, errno), -1;
    Text<kMaxOverlayLowers * 24> value;  // by path: "/proc/self/fd/A:/proc/self/fd/B", or one
    uint32_t k = 0;
    int rc = 0;
    const char* key = "";
    for (; k < n && rc == 0; ++k) {
      bool lower = k < lowers;
      key = lower ? "lowerdir+" : k == lowers ? "upperdir" : "workdir";
      if (!by_path) {
        rc = fsconfig_fd(ctx.get(), key, fd[k]);
        continue;
      }
      // By path the lowers go as one list: there is no lowerdir+ before 6.8.
      if (!lower) value.clear();
      if (lower && k > 0) value.add(':');
      value.add("/proc/self/fd/").add_u64(static_cast<uint64_t>(fd[k]));
      if (lower && k + 1 < lowers) continue;
      if (lower) key = "lowerdir";
      rc = fsconfig(ctx.get(), kFsconfigSetString, key, value.c_str());
    }
    int err = errno;
    // Before 6.13 the kernel takes no fd here (EINVAL; EBADF where it
    // refuses an O_PATH one): the same directories go as /proc/self/fd paths.
    if (rc != 0 && !by_path && k == 1 && (err == EINVAL || err == EBADF)) {
      by_path = true;
      continue;
    }
    // In a user namespace overlayfs cannot write trusted.* xattrs; with
    // userxattr it uses user.overlay.* instead of falling back (and warning
    // in the kernel log on every mount).
    if (rc == 0 && userxattr) {
      key = "userxattr";
      k = n + 1;
      rc = fsconfig(ctx.get(), kFsconfigSetFlag, key, nullptr);
      err = errno;
    }
    if (rc != 0) {
      Text<32> what;
      what.add("fsconfig(").add(key).add(')');
      // A row's directory, or the target for the tmpfs upper and userxattr.
      return fail(f, kStep, what.view(), k - 1 < m.mode ? rows[k - 1].source : m.target, err), -1;
    }
    if (fsconfig(ctx.get(), kFsconfigCmdCreate, nullptr, nullptr) != 0)
      return fail(f, kStep, "fsconfig(FSCONFIG_CMD_CREATE) overlay", m.target, errno), -1;
    uint64_t attrs = kAttrNosuid | kAttrNodev;
    if (!(m.flags & table::kMountReadWrite)) attrs |= kAttrRdonly;
    if (m.flags & table::kMountNoExec) attrs |= kAttrNoexec;
    int mnt = fsmount(ctx.get(), kFsmountCloexec, attrs);
    if (mnt < 0) return fail(f, kStep, "fsmount(overlay)", m.target, errno), -1;
    return mnt;
  }
}

}  // namespace stockade
