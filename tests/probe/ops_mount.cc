// SPDX-License-Identifier: Apache-2.0
// Mount-table operations: every way a job could change what it sees, or climb
// out of the root it was given.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "probe.h"

namespace probe {
namespace {

int remount_rw(const char* target) { return mount(nullptr, target, nullptr, MS_REMOUNT | MS_BIND, nullptr); }

// Writes `text` into a /proc/self file (uid_map, gid_map, setgroups).
bool write_proc_self(const char* name, const char* text) {
  std::string path = std::string("/proc/self/") + name;
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, text, std::strlen(text)) == static_cast<ssize_t>(std::strlen(text));
  close(fd);
  return ok;
}

std::string outcome(int rc, int err) { return rc >= 0 ? "ok" : errno_name(err); }

// A nested user namespace gives the job every capability over a new mount
// namespace. That must not unlock what the sandbox locked: the read-only
// flag of a bind, the mounts covering the old root, the secret's absence.
int nested_userns(const char* ro_dir, const char* secret) {
  if (unshare(CLONE_NEWUSER) != 0) {
    int err = errno;
    line("unshare", errno_name(err));
    return result(-1, err);
  }
  line("unshare", "ok");
  // Map our own ids to root of the new namespace; gid needs setgroups denied.
  uid_t uid = getuid();
  gid_t gid = getgid();
  write_proc_self("setgroups", "deny");
  write_proc_self("uid_map", ("0 " + std::to_string(uid) + " 1").c_str());
  write_proc_self("gid_map", ("0 " + std::to_string(gid) + " 1").c_str());
  int rc = unshare(CLONE_NEWNS);
  line("unshare-mount", outcome(rc, errno));
  if (rc != 0) return result(0, 0);
  rc = remount_rw(ro_dir);
  line("remount-rw", outcome(rc, errno));
  std::string file = std::string(ro_dir) + "/stockade-nested-write";
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  line("write", outcome(fd, errno));
  if (fd >= 0) close(fd);
  rc = umount2(ro_dir, MNT_DETACH);
  line("umount", outcome(rc, errno));
  struct stat st;
  rc = lstat(secret, &st);
  line("secret", outcome(rc, errno));
  return result(0, 0);
}

}  // namespace

int mount_ops(const std::string& op, const Args& args) {
  if (op == "fsopen") return check(fsopen("tmpfs", FSOPEN_CLOEXEC));
  const char* a0 = args.at(0);
  if (a0 == nullptr) return -1;
  if (op == "mount-tmpfs") return check(mount("tmpfs", a0, "tmpfs", 0, nullptr));
  if (op == "remount-rw") return check(remount_rw(a0));
  if (op == "umount") return check(umount2(a0, MNT_DETACH));
  if (op == "open-tree") {
    // A detached copy of a mount tree could be attached anywhere.
    return check(open_tree(AT_FDCWD, a0, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
  }
  if (op == "move-mount") {
    // Without OPEN_TREE_CLONE open_tree needs no privilege; moving does.
    int fd = open_tree(AT_FDCWD, a0, OPEN_TREE_CLOEXEC);
    if (fd < 0) return result(-1, errno);
    const char* to = args.at(1) ? args.at(1) : "/tmp";
    int rc = move_mount(fd, "", AT_FDCWD, to, MOVE_MOUNT_F_EMPTY_PATH);
    int err = errno;
    close(fd);
    return result(rc, err);
  }
  if (op == "chroot") return check(chroot(a0));
  if (op == "pivot-root") {
    const char* put_old = args.at(1) ? args.at(1) : a0;
    return check(syscall(SYS_pivot_root, a0, put_old));
  }
  if (op == "userns") return nested_userns(a0, args.at(1) ? args.at(1) : "/nonexistent");
  return -1;
}

}  // namespace probe
