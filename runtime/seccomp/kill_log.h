// Naming the syscall behind a seccomp kill. The kernel logs every seccomp
// kill as an audit record (type=1326) with the pid, arch and syscall
// number; when no audit daemon takes them they go to the kernel log, which
// the root launcher reads from /dev/kmsg. The job's pid as the launcher
// sees it comes from job_hello: the job sends one message over the release
// socket, and SO_PASSCRED makes the kernel attach its pid, translated into
// the launcher's pid namespace.
#pragma once

#include <stdint.h>
#include <sys/types.h>

namespace stockade {

// Parent, before clone: ask for credentials on its end of the socket.
void want_job_pid(int parent_sock);
// Job, just before the last set-up steps: "here I am".
void job_hello(int child_sock);
// Parent, after the sandbox ended: the job's pid, or 0 if it never said.
pid_t job_pid(int parent_sock);

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
