// SPDX-License-Identifier: Apache-2.0
// The unix-socket guard (seccomp/unix_guard.h): every path of the program
// through bpf_eval, for each ABI, and the real kernel's answers in a forked
// child that loaded it.
#include <doctest/doctest.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guarded_child.h"
#include "seccomp/bpf_eval.h"
#include "seccomp/unix_guard.h"

using namespace stockade;

namespace {

constexpr uint32_t kAllow = SECCOMP_RET_ALLOW;
constexpr uint32_t kEperm = SECCOMP_RET_ERRNO | EPERM;
constexpr uint32_t kEnosys = SECCOMP_RET_ERRNO | ENOSYS;

uint32_t eval(uint32_t arch, int nr, uint64_t a0 = 0, uint64_t a1 = 0) {
  seccomp_data d{};
  d.arch = arch;
  d.nr = nr;
  d.args[0] = a0;
  d.args[1] = a1;
  return bpf_eval(unix_guard_program(), static_cast<uint32_t>(unix_guard_length()), d);
}

template <class Op>
int guarded(Op op) {
  return in_guarded_child(install_unix_guard, op);
}

}  // namespace

TEST_CASE("unix guard: x86-64 and x32 socket and socketpair") {
  for (uint32_t x32 : {0u, 0x40000000u}) {
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(41 | x32), AF_UNIX, SOCK_STREAM) == kEperm);
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(41 | x32), AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC) == kEperm);
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(41 | x32), AF_INET, SOCK_STREAM) == kAllow);
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(41 | x32), AF_INET6, SOCK_DGRAM) == kAllow);
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(53 | x32), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC) == kAllow);
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(53 | x32), AF_UNIX, SOCK_SEQPACKET) == kAllow);
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(53 | x32), AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK) == kEperm);
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(53 | x32), AF_INET, SOCK_DGRAM) == kAllow);
  }
  // High bits of the family are not the kernel's int: only the low word counts.
  CHECK(eval(AUDIT_ARCH_X86_64, 41, (1ULL << 32) | AF_UNIX, SOCK_STREAM) == kEperm);
  CHECK(eval(AUDIT_ARCH_X86_64, 42, AF_UNIX) == kAllow);  // connect: not the guard's
  CHECK(eval(AUDIT_ARCH_X86_64, 0) == kAllow);
  CHECK(eval(AUDIT_ARCH_X86_64, 425) == kEnosys);               // io_uring_setup
  CHECK(eval(AUDIT_ARCH_X86_64, 425 | 0x40000000) == kEnosys);  // and its x32 entry
  CHECK(eval(AUDIT_ARCH_X86_64, 426) == kAllow);                // io_uring_enter: no ring to enter
}

TEST_CASE("unix guard: i386 socket, socketpair and socketcall") {
  CHECK(eval(AUDIT_ARCH_I386, 359, AF_UNIX, SOCK_STREAM) == kEperm);
  CHECK(eval(AUDIT_ARCH_I386, 359, AF_INET, SOCK_STREAM) == kAllow);
  CHECK(eval(AUDIT_ARCH_I386, 360, AF_UNIX, SOCK_DGRAM) == kEperm);
  CHECK(eval(AUDIT_ARCH_I386, 360, AF_UNIX, SOCK_STREAM) == kAllow);
  CHECK(eval(AUDIT_ARCH_I386, 102, 1) == kEnosys);      // SYS_SOCKET
  CHECK(eval(AUDIT_ARCH_I386, 102, 8) == kEnosys);      // SYS_SOCKETPAIR
  CHECK(eval(AUDIT_ARCH_I386, 102, 3) == kAllow);       // SYS_CONNECT: no new socket
  CHECK(eval(AUDIT_ARCH_I386, 41, AF_UNIX) == kAllow);  // i386's 41 is dup
  CHECK(eval(AUDIT_ARCH_I386, 425) == kEnosys);         // io_uring_setup
}

TEST_CASE("unix guard: another ABI is left to the policy's filter") {
  CHECK(eval(AUDIT_ARCH_AARCH64, 198, AF_UNIX, SOCK_STREAM) == kAllow);
}

TEST_CASE("unix guard: the kernel refuses unix sockets and keeps the rest") {
  CHECK(guarded([] { return socket(AF_UNIX, SOCK_STREAM, 0); }) == EPERM);
  CHECK(guarded([] { return socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0); }) == EPERM);
  CHECK(guarded([] { return socket(AF_INET, SOCK_STREAM, 0); }) == 0);
  int pair[2];
  CHECK(guarded([&] { return socketpair(AF_UNIX, SOCK_STREAM, 0, pair); }) == 0);
  CHECK(guarded([&] { return socketpair(AF_UNIX, SOCK_DGRAM, 0, pair); }) == EPERM);
  unsigned char params[120] = {};  // struct io_uring_params: its size is all the kernel would check first
  CHECK(guarded([&] { return static_cast<int>(syscall(425, 1, params)); }) == ENOSYS);
}
