// SPDX-License-Identifier: Apache-2.0
#include "fds.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "text.h"

namespace stockade {

bool is_pass_fd(const table::List<uint32_t>& pass_fds, int fd) {
  for (uint32_t p : pass_fds)
    if (static_cast<int>(p) == fd) return true;
  return false;
}

int clear_of_pass_fds(const table::List<uint32_t>& pass_fds, int fd) {
  if (fd < 0 || !is_pass_fd(pass_fds, fd)) return fd;
  int top = 2;
  for (uint32_t p : pass_fds)
    if (static_cast<int>(p) > top) top = static_cast<int>(p);
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, top + 1);
  if (moved < 0) return fd;
  close(fd);
  return moved;
}

bool close_stray_fds(const table::List<uint32_t>& pass_fds, int keep, int keep2, Failure& f) {
  // Walk 3..max in ascending runs between the fds to keep.
  unsigned from = 3;
  for (;;) {
    unsigned next = ~0u;  // the smallest kept fd >= from
    for (uint32_t p : pass_fds)
      if (p >= from && p < next) next = p;
    for (int k : {keep, keep2})
      if (k >= 0 && static_cast<unsigned>(k) >= from && static_cast<unsigned>(k) < next)
        next = static_cast<unsigned>(k);
    if (next > from && syscall(SYS_close_range, from, next == ~0u ? ~0u : next - 1, 0) != 0)
      return fail(f, Step::Fds, "close_range", "", errno);
    if (next == ~0u) break;
    from = next + 1;
  }
  for (uint32_t p : pass_fds) {
    Text<24> v;
    v.add("fd ").add_u64(p);
    int flags = fcntl(static_cast<int>(p), F_GETFD);
    if (flags < 0) return fail(f, Step::Fds, "pass_fd", v.view(), errno);
    if (fcntl(static_cast<int>(p), F_SETFD, flags & ~FD_CLOEXEC) != 0)
      return fail(f, Step::Fds, "fcntl(F_SETFD)", v.view(), errno);
  }
  return true;
}

}  // namespace stockade
