#include "setuid_guard.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>

#include "text.h"

namespace stockade {
namespace {

// A syscall whose mode argument (index `mode_arg`) must carry no set-id
// bits; mode_arg < 0: refuse the call outright with ENOSYS.
struct Guarded {
  uint32_t nr;
  int mode_arg;
};

// Numbers from <asm/unistd_64.h> (x32 uses the same ones plus the x32 bit,
// which the filter masks off) and <asm/unistd_32.h>.
constexpr Guarded kX86_64[] = {
    {90, 1},   {91, 1},   {268, 2},  {452, 2},  // chmod fchmod fchmodat fchmodat2
    {2, 2},    {257, 3},  {85, 1},              // open openat creat
    {133, 1},  {259, 2},                        // mknod mknodat
    {437, -1}, {425, -1},                       // openat2 io_uring_setup
};
constexpr Guarded kI386[] = {
    {15, 1},   {94, 1},   {306, 2},  {452, 2},  // chmod fchmod fchmodat fchmodat2
    {5, 2},    {295, 3},  {8, 1},               // open openat creat
    {14, 1},   {297, 2},                        // mknod mknodat
    {437, -1}, {425, -1},                       // openat2 io_uring_setup
};
constexpr uint32_t kX32Bit = 0x40000000;
constexpr uint32_t kSetIdBits = 06000;  // S_ISUID | S_ISGID

constexpr sock_filter stmt(uint16_t code, uint32_t k) { return {code, 0, 0, k}; }
constexpr sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return {code, jt, jf, k}; }

constexpr uint32_t kLoadNr = offsetof(seccomp_data, nr);
constexpr uint32_t kLoadArch = offsetof(seccomp_data, arch);
// The low 32 bits of an argument (little-endian): modes fit in them.
constexpr uint32_t arg_low(int i) { return static_cast<uint32_t>(offsetof(seccomp_data, args) + 8 * i); }

constexpr size_t block_len(const Guarded& g) { return g.mode_arg < 0 ? 2 : 6; }
template <size_t N>
constexpr size_t list_len(const Guarded (&list)[N]) {
  size_t n = 0;
  for (const Guarded& g : list) n += block_len(g);
  return n;
}

// Layout:
//   ld arch; jeq X86_64 -> x86_64 part; jeq I386 -> i386 part; ret ALLOW
//   x86_64 part: ld nr; and ~x32 bit; blocks...; ret ALLOW
//   i386 part:   ld nr; blocks...; ret ALLOW
// Each block, with the syscall number in A:
//   jeq NR, 0, 5; ld mode; and SETID; jeq 0, 0, 1; ret ALLOW; ret ERRNO(EPERM)
// or, for a refused call: jeq NR, 0, 1; ret ERRNO(ENOSYS).
constexpr size_t kX86Len = 3 + list_len(kX86_64);
constexpr size_t kI386Len = 2 + list_len(kI386);
constexpr size_t kLen = 4 + kX86Len + kI386Len;

template <size_t N>
constexpr size_t emit_blocks(std::array<sock_filter, kLen>& p, size_t at, const Guarded (&list)[N]) {
  for (const Guarded& g : list) {
    if (g.mode_arg < 0) {
      p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, g.nr, 0, 1);
      p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
      continue;
    }
    p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, g.nr, 0, 5);
    p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(g.mode_arg));
    p[at++] = stmt(BPF_ALU | BPF_AND | BPF_K, kSetIdBits);
    p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
    p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
  }
  return at;
}

constexpr std::array<sock_filter, kLen> build() {
  std::array<sock_filter, kLen> p{};
  size_t at = 0;
  p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, kLoadArch);
  p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 2, 0);
  p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, static_cast<uint8_t>(1 + kX86Len), 0);
  p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr);
  p[at++] = stmt(BPF_ALU | BPF_AND | BPF_K, ~kX32Bit);
  at = emit_blocks(p, at, kX86_64);
  p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr);
  at = emit_blocks(p, at, kI386);
  p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  return at == kLen ? p : std::array<sock_filter, kLen>{};
}

constexpr std::array<sock_filter, kLen> kGuard = build();
static_assert(kGuard[0].code == (BPF_LD | BPF_W | BPF_ABS), "guard layout: lengths disagree");
static_assert(1 + kX86Len <= 255, "guard layout: jump too long");

}  // namespace

size_t setuid_guard_length() { return kGuard.size(); }

void write_setuid_guard_head(sock_filter* out) {
  for (size_t i = 0; i < kGuard.size(); ++i) {
    out[i] = kGuard[i];
    if (kGuard[i].code == (BPF_RET | BPF_K) && kGuard[i].k == SECCOMP_RET_ALLOW)
      out[i] = stmt(BPF_JMP | BPF_JA, static_cast<uint32_t>(kGuard.size() - i - 1));
  }
}

bool install_setuid_guard(Failure& f) {
  sock_fprog prog{static_cast<unsigned short>(kGuard.size()), const_cast<sock_filter*>(kGuard.data())};
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
    return fail(f, "seccomp", "seccomp(SECCOMP_SET_MODE_FILTER)", "set-id guard for idmapped binds", errno);
  return true;
}

}  // namespace stockade
