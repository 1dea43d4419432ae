// SPDX-License-Identifier: Apache-2.0
#include "seccomp/guard_filter.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace stockade {

bool install_guard(const sock_filter* program, size_t count, const char* what, Failure& f) {
  sock_fprog prog{static_cast<unsigned short>(count), const_cast<sock_filter*>(program)};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
    return fail(f, Step::Seccomp, "seccomp(SECCOMP_SET_MODE_FILTER)", what, errno);
  return true;
}

}  // namespace stockade
