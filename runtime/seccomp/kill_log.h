// SPDX-License-Identifier: Apache-2.0
// Naming the syscall behind a seccomp kill. The kernel logs every seccomp
// kill as an audit record (type=1326) with the pid, arch and syscall
// number; when no audit daemon takes them they go to the kernel log, which
// the root launcher reads from /dev/kmsg. The job's pid as the launcher
// sees it comes from the job's hello (channel.h).
#pragma once

#include <stdint.h>
#include <sys/types.h>

namespace stockade {

struct SeccompKill {
  uint32_t arch;     // AUDIT_ARCH_*
  uint32_t syscall;  // as logged (x32 calls carry the x32 bit)
};
// Finds the last seccomp kill record for `pid` in /dev/kmsg.
bool find_seccomp_kill(pid_t pid, SeccompKill& out);

// "uname (63)", "x32 uname (1073741887)", "i386 uname (122)".
class TextBuf;
void describe_syscall(const SeccompKill& k, TextBuf& out);

}  // namespace stockade
