// SPDX-License-Identifier: Apache-2.0
#include "seccomp/shmem_guard.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>

#include <array>

#include "seccomp/bpf_build.h"
#include "seccomp/guard_filter.h"

namespace stockade {
namespace {

using namespace bpf;

// Syscall numbers from <asm/unistd_64.h> (x32: the same plus the x32 bit,
// masked off below) and <asm/unistd_32.h>; SHMGET from <linux/ipc.h>.
constexpr uint32_t kX86MemfdCreate = 319, kX86Shmget = 29;
constexpr uint32_t kI386MemfdCreate = 356, kI386Shmget = 395, kI386Ipc = 117;
constexpr uint32_t kMemfdSecret = 447;  // the same in both tables
constexpr uint32_t kIpcShmget = 23;
constexpr uint32_t kIpcCallMask = 0xffff;  // the high half is the call's version

//   0 ld arch; 1 jeq X86_64 -> 3 | 2; 2 jeq I386 -> 8 | ALLOW
//   3 ld nr; 4 and ~x32 bit; 5 jeq memfd_create, 6 jeq memfd_secret, 7 jeq shmget -> ENOSYS | ALLOW
//   8 ld nr; 9 jeq memfd_create, 10 jeq memfd_secret, 11 jeq shmget -> ENOSYS; 12 jeq ipc -> 13 | ALLOW
//  13 ld a0; 14 and call mask; 15 jeq SHMGET -> ENOSYS | ALLOW
//  16 ENOSYS; 17 ALLOW
constexpr int kIpc = 13, kRetEnosys = 16, kRetAllow = 17;

constexpr std::array<sock_filter, 18> kGuard = {{
    stmt(BPF_LD | BPF_W | BPF_ABS, kLoadArch),
    jeq(AUDIT_ARCH_X86_64, off(1, 3), off(1, 2)),
    jeq(AUDIT_ARCH_I386, off(2, 8), off(2, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr),
    stmt(BPF_ALU | BPF_AND | BPF_K, ~kX32Bit),
    jeq(kX86MemfdCreate, off(5, kRetEnosys), off(5, 6)),
    jeq(kMemfdSecret, off(6, kRetEnosys), off(6, 7)),
    jeq(kX86Shmget, off(7, kRetEnosys), off(7, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr),
    jeq(kI386MemfdCreate, off(9, kRetEnosys), off(9, 10)),
    jeq(kMemfdSecret, off(10, kRetEnosys), off(10, 11)),
    jeq(kI386Shmget, off(11, kRetEnosys), off(11, 12)),
    jeq(kI386Ipc, off(12, kIpc), off(12, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(0)),
    stmt(BPF_ALU | BPF_AND | BPF_K, kIpcCallMask),
    jeq(kIpcShmget, off(15, kRetEnosys), off(15, kRetAllow)),
    stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
}};
static_assert(kGuard[kRetAllow].k == SECCOMP_RET_ALLOW && kGuard[kIpc].k == arg_low(0), "guard layout: labels moved");

}  // namespace

size_t shmem_guard_length() { return kGuard.size(); }
const sock_filter* shmem_guard_program() { return kGuard.data(); }

bool install_shmem_guard(Failure& f) { return install_guard(kGuard.data(), kGuard.size(), "shared memory guard", f); }

}  // namespace stockade
