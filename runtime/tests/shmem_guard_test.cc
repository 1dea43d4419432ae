// SPDX-License-Identifier: Apache-2.0
// The shared-memory guard (seccomp/shmem_guard.h): every path of the program
// through bpf_eval, for each ABI, and the real kernel's answers in a forked
// child that loaded it.
#include <doctest/doctest.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guarded_child.h"
#include "seccomp/bpf_eval.h"
#include "seccomp/shmem_guard.h"

using namespace stockade;

namespace {

constexpr uint32_t kAllow = SECCOMP_RET_ALLOW;
constexpr uint32_t kEnosys = SECCOMP_RET_ERRNO | ENOSYS;

uint32_t eval(uint32_t arch, int nr, uint64_t a0 = 0) {
  seccomp_data d{};
  d.arch = arch;
  d.nr = nr;
  d.args[0] = a0;
  return bpf_eval(shmem_guard_program(), static_cast<uint32_t>(shmem_guard_length()), d);
}

template <class Op>
int guarded(Op op) {
  return in_guarded_child(install_shmem_guard, op);
}

}  // namespace

TEST_CASE("shmem guard: x86-64 and x32") {
  for (uint32_t x32 : {0u, 0x40000000u}) {
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(319 | x32)) == kEnosys);  // memfd_create
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(447 | x32)) == kEnosys);  // memfd_secret
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(29 | x32)) == kEnosys);   // shmget
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(30 | x32)) == kAllow);    // shmat: no segment to attach
    CHECK(eval(AUDIT_ARCH_X86_64, static_cast<int>(9 | x32)) == kAllow);     // mmap: the watchdog sees it
  }
  CHECK(eval(AUDIT_ARCH_X86_64, 0) == kAllow);
  CHECK(eval(AUDIT_ARCH_X86_64, 117, 23) == kAllow);  // x86-64's 117 is setresuid, not ipc
}

TEST_CASE("shmem guard: i386, and its ipc multiplexer") {
  CHECK(eval(AUDIT_ARCH_I386, 356) == kEnosys);                   // memfd_create
  CHECK(eval(AUDIT_ARCH_I386, 447) == kEnosys);                   // memfd_secret
  CHECK(eval(AUDIT_ARCH_I386, 395) == kEnosys);                   // shmget
  CHECK(eval(AUDIT_ARCH_I386, 319) == kAllow);                    // i386's 319 is epoll_pwait
  CHECK(eval(AUDIT_ARCH_I386, 29) == kAllow);                     // i386's 29 is pause
  CHECK(eval(AUDIT_ARCH_I386, 117, 23) == kEnosys);               // ipc(SHMGET)
  CHECK(eval(AUDIT_ARCH_I386, 117, (1u << 16) | 23) == kEnosys);  // with a version in the high half
  CHECK(eval(AUDIT_ARCH_I386, 117, 21) == kAllow);                // ipc(SHMAT)
  CHECK(eval(AUDIT_ARCH_I386, 117, 1) == kAllow);                 // ipc(SEMOP)
}

TEST_CASE("shmem guard: another ABI is left to the policy's filter") {
  CHECK(eval(AUDIT_ARCH_AARCH64, 279) == kAllow);  // aarch64's memfd_create
}

TEST_CASE("shmem guard: the kernel refuses memfds and System V segments, keeps shared mappings") {
  CHECK(guarded([] { return static_cast<int>(syscall(SYS_memfd_create, "x", 0)); }) == ENOSYS);
  CHECK(guarded([] { return shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600); }) == ENOSYS);
  CHECK(guarded([] {
          void* p = mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
          return p == MAP_FAILED ? -1 : munmap(p, 1 << 20);
        }) == 0);
}
