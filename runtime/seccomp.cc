#include "seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "text.h"

namespace stockade {

bool install_seccomp(const table::List<sock_filter>& program, Failure& f) {
  if (program.count == 0) return true;
  Text<32> len;
  len.add_u64(program.count).add(" instructions");
  if (program.count > BPF_MAXINSNS) return fail_reason(f, "seccomp", "filter", len.view(), "longer than BPF_MAXINSNS");
  sock_fprog prog{static_cast<unsigned short>(program.count), const_cast<sock_filter*>(program.items)};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
    return fail(f, "seccomp", "seccomp(SECCOMP_SET_MODE_FILTER)", len.view(), errno);
  return true;
}

}  // namespace stockade
