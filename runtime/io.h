// SPDX-License-Identifier: Apache-2.0
// Small file-descriptor helpers: whole writes and reads with EINTR handled,
// and an owning fd wrapper so no early return leaks a descriptor.
// (The runtime calls openat(AT_FDCWD, ...) rather than open(): musl's open()
// follows O_CLOEXEC with a redundant fcntl(F_SETFD), one syscall per file.)
#pragma once

#include <stddef.h>

#include <string_view>

namespace stockade {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) : fd_(o.release()) {}
  Fd& operator=(Fd&& o);
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// 0 on success, else errno.
int write_all(int fd, std::string_view data);
// Writes `data` to an existing file (cgroup knobs, uid_map): 0 or errno.
int write_file(const char* path, std::string_view data);
// Reads up to cap-1 bytes and NUL-terminates: 0 or errno.
int read_file(const char* path, char* buf, size_t cap, size_t* len);

}  // namespace stockade
