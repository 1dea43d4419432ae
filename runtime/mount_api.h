// SPDX-License-Identifier: Apache-2.0
// The new mount API (open_tree, move_mount, mount_setattr) through raw
// syscalls: musl 1.2.3 has no wrappers and <linux/mount.h> clashes with
// <sys/mount.h>, so the few constants we use are spelled here (values from
// the kernel's uapi <linux/mount.h>).
#pragma once

#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stockade::mountapi {

constexpr unsigned kOpenTreeClone = 1;           // OPEN_TREE_CLONE
constexpr unsigned kOpenTreeCloexec = 02000000;  // OPEN_TREE_CLOEXEC (= O_CLOEXEC)
constexpr unsigned kAtRecursive = 0x8000;        // AT_RECURSIVE
constexpr unsigned kAtEmptyPath = 0x1000;        // AT_EMPTY_PATH
constexpr unsigned kAtSymlinkNofollow = 0x100;   // AT_SYMLINK_NOFOLLOW
constexpr unsigned kMoveMountFEmptyPath = 0x4;   // MOVE_MOUNT_F_EMPTY_PATH
constexpr unsigned kMoveMountTEmptyPath = 0x40;  // MOVE_MOUNT_T_EMPTY_PATH
constexpr unsigned kFsopenCloexec = 1;           // FSOPEN_CLOEXEC
constexpr unsigned kFsmountCloexec = 1;          // FSMOUNT_CLOEXEC
constexpr unsigned kFsconfigSetString = 1;       // FSCONFIG_SET_STRING
constexpr unsigned kFsconfigCmdCreate = 6;       // FSCONFIG_CMD_CREATE
constexpr unsigned kFsconfigSetFlag = 0;         // FSCONFIG_SET_FLAG
constexpr unsigned kFsconfigSetFd = 5;           // FSCONFIG_SET_FD

constexpr uint64_t kAttrRdonly = 0x1;      // MOUNT_ATTR_RDONLY
constexpr uint64_t kAttrNosuid = 0x2;      // MOUNT_ATTR_NOSUID
constexpr uint64_t kAttrNodev = 0x4;       // MOUNT_ATTR_NODEV
constexpr uint64_t kAttrNoexec = 0x8;      // MOUNT_ATTR_NOEXEC
constexpr uint64_t kAttrIdmap = 0x100000;  // MOUNT_ATTR_IDMAP

struct MountAttr {  // struct mount_attr (MOUNT_ATTR_SIZE_VER0 = 32)
  uint64_t attr_set;
  uint64_t attr_clr;
  uint64_t propagation;
  uint64_t userns_fd;
};

inline int open_tree(int dirfd, const char* path, unsigned flags) {
  return static_cast<int>(syscall(SYS_open_tree, dirfd, path, flags));
}
inline int move_mount(int from_dfd, const char* from_path, int to_dfd, const char* to_path, unsigned flags) {
  return static_cast<int>(syscall(SYS_move_mount, from_dfd, from_path, to_dfd, to_path, flags));
}
inline int mount_setattr(int dfd, const char* path, unsigned flags, MountAttr* attr) {
  return static_cast<int>(syscall(SYS_mount_setattr, dfd, path, flags, attr, sizeof(MountAttr)));
}

struct OpenHow {  // struct open_how
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};
constexpr uint64_t kResolveNoMagiclinks = 0x02;  // RESOLVE_NO_MAGICLINKS
constexpr uint64_t kResolveNoSymlinks = 0x04;    // RESOLVE_NO_SYMLINKS
constexpr uint64_t kResolveBeneath = 0x08;       // RESOLVE_BENEATH

inline int openat2(int dirfd, const char* path, OpenHow* how) {
  return static_cast<int>(syscall(SYS_openat2, dirfd, path, how, sizeof(OpenHow)));
}

inline int fsopen(const char* fstype, unsigned flags) { return static_cast<int>(syscall(SYS_fsopen, fstype, flags)); }
inline int fsconfig(int fd, unsigned cmd, const char* key, const char* value) {
  return static_cast<int>(syscall(SYS_fsconfig, fd, cmd, key, value, 0));
}
// FSCONFIG_SET_FD: `key` takes the file `fd` refers to.
inline int fsconfig_fd(int ctx, const char* key, int fd) {
  return static_cast<int>(syscall(SYS_fsconfig, ctx, kFsconfigSetFd, key, nullptr, fd));
}
inline int fsmount(int fd, unsigned flags, uint64_t attr_flags) {
  return static_cast<int>(syscall(SYS_fsmount, fd, flags, attr_flags));
}

}  // namespace stockade::mountapi
