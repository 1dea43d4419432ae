// SPDX-License-Identifier: Apache-2.0
// File operations: can the job see, read, write, create or take over a path,
// and which file descriptors did it inherit?
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "probe.h"

namespace probe {
namespace {

int read_file(const char* path, bool echo) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return result(-1, errno);
  char buf[4096];
  long long total = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      int err = errno;
      close(fd);
      return result(-1, err);
    }
    if (n == 0) break;
    if (echo) fwrite(buf, 1, static_cast<size_t>(n), stdout);
    total += n;
  }
  close(fd);
  if (echo && total > 0) std::putchar('\n');
  line("size", std::to_string(total));
  return result(0, 0);
}

int list_dir(const char* path) {
  DIR* dir = opendir(path);
  if (dir == nullptr) return result(-1, errno);
  while (struct dirent* entry = readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) continue;
    line("entry", entry->d_name);
  }
  closedir(dir);
  return result(0, 0);
}

// Opens with `flags` and writes one byte.
int write_file(const char* path, int flags) {
  int fd = open(path, flags | O_CLOEXEC, 0644);
  if (fd < 0) return result(-1, errno);
  ssize_t n = write(fd, "x", 1);
  int err = errno;
  close(fd);
  return result(n == 1 ? 0 : -1, err);
}

// Every open descriptor except the one used to list them.
int list_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return result(-1, errno);
  int own = dirfd(dir);
  while (struct dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    int fd = std::atoi(entry->d_name);
    if (fd == own) continue;
    char target[4096] = {};
    ssize_t n = readlinkat(own, entry->d_name, target, sizeof target - 1);
    line("fd", std::to_string(fd) + " -> " + (n > 0 ? std::string(target, static_cast<size_t>(n)) : "?"));
  }
  closedir(dir);
  return result(0, 0);
}

// Every way to make a set-id file in directory `dir`; one line per way.
int make_setid_files(const std::string& dir) {
  auto report = [](const char* way, long rc) { line(way, rc >= 0 ? "ok" : errno_name(errno)); };
  std::string created = dir + "/setid-open";
  int fd = open(created.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 04755);
  report("open", fd);
  if (fd >= 0) close(fd);
  std::string plain = dir + "/setid-chmod";
  fd = open(plain.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
  if (fd < 0) return result(-1, errno);
  report("chmod", chmod(plain.c_str(), 04755));
  report("fchmod", fchmod(fd, 02755));
  report("fchmodat", fchmodat(AT_FDCWD, plain.c_str(), 06755, 0));
  close(fd);
  std::string node = dir + "/setid-mknod";
  report("mknod", mknod(node.c_str(), S_IFREG | 04755, 0));
  return result(0, 0);
}

}  // namespace

int fs_ops(const std::string& op, const Args& args) {
  if (op == "fds") return list_fds();
  const char* a0 = args.at(0);
  if (a0 == nullptr) return -1;
  if (op == "read") return read_file(a0, false);
  if (op == "cat") return read_file(a0, true);
  if (op == "ls") return list_dir(a0);
  if (op == "stat") {
    struct stat st;
    int rc = lstat(a0, &st);
    int err = errno;
    if (rc == 0) {
      char mode[16];
      std::snprintf(mode, sizeof mode, "%o", st.st_mode);
      line("mode", mode);
      line("owner", std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid));
    }
    return result(rc, err);
  }
  if (op == "write") return write_file(a0, O_WRONLY | O_CREAT | O_TRUNC);
  if (op == "setid") return make_setid_files(a0);
  if (op == "mkfifo") return check(mkfifo(a0, 0666));
  if (op == "symlink") return check(symlink(a0, args.at(1) ? args.at(1) : "/tmp/link"));
  if (op == "overwrite") return write_file(a0, O_WRONLY);
  if (op == "mkdir") return check(mkdir(a0, 0755));
  if (op == "chmod") {
    return check(chmod(a0, static_cast<mode_t>(number(args.at(1)))));
  }
  if (op == "chown") {
    return check(chown(a0, static_cast<uid_t>(number(args.at(1))), static_cast<gid_t>(number(args.at(2)))));
  }
  // A character device like /dev/null (1:3): a job that could create one could
  // create any device, e.g. the host's disk.
  if (op == "mknod") return check(mknod(a0, S_IFCHR | 0666, makedev(1, 3)));
  if (op == "fd-walk") {
    // Walk from an inherited directory descriptor to a path relative to it.
    int fd = openat(static_cast<int>(number(a0)), args.at(1) ? args.at(1) : ".", O_RDONLY | O_CLOEXEC);
    int err = errno;
    if (fd >= 0) close(fd);
    return result(fd, err);
  }
  if (op == "write-fd") {
    const char* text = args.at(1) ? args.at(1) : "";
    ssize_t n = write(static_cast<int>(number(a0)), text, std::strlen(text));
    return result(n >= 0 ? 0 : -1, errno);
  }
  return -1;
}

}  // namespace probe
