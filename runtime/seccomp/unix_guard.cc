// SPDX-License-Identifier: Apache-2.0
#include "seccomp/unix_guard.h"

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
// masked off below) and <asm/unistd_32.h>; socketcall's call numbers from
// <linux/net.h>.
constexpr uint32_t kX86Socket = 41, kX86Socketpair = 53;
constexpr uint32_t kI386Socket = 359, kI386Socketpair = 360, kI386Socketcall = 102;
constexpr uint32_t kSysSocket = 1, kSysSocketpair = 8;
// The same number in both tables: io_uring_setup, whose IORING_OP_SOCKET
// (Linux 5.19) makes sockets without socket(2).
constexpr uint32_t kIoUringSetup = 425;
constexpr uint32_t kAfUnix = 1;          // AF_UNIX, AF_LOCAL
constexpr uint32_t kSockDgram = 2;       // SOCK_DGRAM
constexpr uint32_t kSockTypeMask = 0xf;  // the type without SOCK_CLOEXEC / SOCK_NONBLOCK

constexpr uint32_t kAllow = SECCOMP_RET_ALLOW;
constexpr uint32_t kEperm = SECCOMP_RET_ERRNO | EPERM;
constexpr uint32_t kEnosys = SECCOMP_RET_ERRNO | ENOSYS;

// The program, with each jump's target named (a jump's offset counts the
// instructions it skips: target - here - 1). unix_guard_test runs every
// path through bpf_eval and through the kernel.
//   0 ld arch
//   1 jeq X86_64 -> 3 | 2
//   2 jeq I386   -> 8 | ALLOW        another ABI: the policy's filter decides
//   3 ld nr; 4 and ~x32 bit          x86-64 and x32
//   5 jeq socket -> SOCKET; 6 jeq socketpair -> PAIR; 7 jeq io_uring_setup -> ENOSYS | ALLOW
//   8 ld nr                          i386
//   9 jeq socket -> SOCKET; 10 jeq socketpair -> PAIR; 11 jeq socketcall -> CALL;
//  12 jeq io_uring_setup -> ENOSYS | ALLOW
//  13 SOCKET: ld family; 14 jeq AF_UNIX -> EPERM | ALLOW
//  15 PAIR: ld family; 16 jeq AF_UNIX -> 17 | ALLOW; 17 ld type; 18 and type mask; 19 jeq DGRAM -> EPERM | ALLOW
//  20 CALL: ld call; 21 jeq SYS_SOCKET -> ENOSYS; 22 jeq SYS_SOCKETPAIR -> ENOSYS | ALLOW
//  23 EPERM; 24 ENOSYS; 25 ALLOW
constexpr int kSocket = 13, kPair = 15, kCall = 20, kRetEperm = 23, kRetEnosys = 24, kRetAllow = 25;

constexpr std::array<sock_filter, 26> kGuard = {{
    stmt(BPF_LD | BPF_W | BPF_ABS, kLoadArch),
    jeq(AUDIT_ARCH_X86_64, off(1, 3), off(1, 2)),
    jeq(AUDIT_ARCH_I386, off(2, 8), off(2, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr),
    stmt(BPF_ALU | BPF_AND | BPF_K, ~kX32Bit),
    jeq(kX86Socket, off(5, kSocket), off(5, 6)),
    jeq(kX86Socketpair, off(6, kPair), off(6, 7)),
    jeq(kIoUringSetup, off(7, kRetEnosys), off(7, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr),
    jeq(kI386Socket, off(9, kSocket), off(9, 10)),
    jeq(kI386Socketpair, off(10, kPair), off(10, 11)),
    jeq(kI386Socketcall, off(11, kCall), off(11, 12)),
    jeq(kIoUringSetup, off(12, kRetEnosys), off(12, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(0)),
    jeq(kAfUnix, off(14, kRetEperm), off(14, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(0)),
    jeq(kAfUnix, off(16, 17), off(16, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(1)),
    stmt(BPF_ALU | BPF_AND | BPF_K, kSockTypeMask),
    jeq(kSockDgram, off(19, kRetEperm), off(19, kRetAllow)),
    stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(0)),
    jeq(kSysSocket, off(21, kRetEnosys), off(21, 22)),
    jeq(kSysSocketpair, off(22, kRetEnosys), off(22, kRetAllow)),
    stmt(BPF_RET | BPF_K, kEperm),
    stmt(BPF_RET | BPF_K, kEnosys),
    stmt(BPF_RET | BPF_K, kAllow),
}};
static_assert(kGuard[kRetAllow].k == kAllow && kGuard[kRetEperm].k == kEperm, "guard layout: labels moved");

}  // namespace

size_t unix_guard_length() { return kGuard.size(); }
const sock_filter* unix_guard_program() { return kGuard.data(); }

bool install_unix_guard(Failure& f) { return install_guard(kGuard.data(), kGuard.size(), "unix socket guard", f); }

}  // namespace stockade
