// SPDX-License-Identifier: Apache-2.0
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace stockade {

Fd& Fd::operator=(Fd&& o) {
  if (this != &o) reset(o.release());
  return *this;
}

void Fd::reset(int fd) {
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
}

int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

int write_file(const char* path, std::string_view data) {
  Fd fd(openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd.ok()) return errno;
  // One write() call: kernel files such as uid_map accept exactly one write.
  ssize_t n = write(fd.get(), data.data(), data.size());
  if (n < 0) return errno;
  if (static_cast<size_t>(n) != data.size()) return EIO;
  return 0;
}

int read_file(const char* path, char* buf, size_t cap, size_t* len) {
  *len = 0;
  buf[0] = '\0';
  Fd fd(openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd.ok()) return errno;
  while (*len < cap - 1) {
    ssize_t n = read(fd.get(), buf + *len, cap - 1 - *len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) break;
    *len += static_cast<size_t>(n);
  }
  buf[*len] = '\0';
  return 0;
}

}  // namespace stockade
