// SPDX-License-Identifier: Apache-2.0
#include "setuid_guard.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>

#include "seccomp/bpf_build.h"
#include "text.h"

namespace stockade {
namespace {

using namespace bpf;

// A syscall whose mode argument (index `mode_arg`) must carry no set-id
// bits; mode_arg < 0: refuse the call outright with ENOSYS.
struct Guarded {
  uint32_t nr;
  int mode_arg;
};

// Numbers from <asm/unistd_64.h> (x32 uses the same ones plus the x32 bit,
// which the filter masks off) and <asm/unistd_32.h>.
constexpr Guarded kX86_64[] = {
    {90, 1},   {91, 1},   {268, 2}, {452, 2},  // chmod fchmod fchmodat fchmodat2
    {2, 2},    {257, 3},  {85, 1},             // open openat creat
    {133, 1},  {259, 2},                       // mknod mknodat
    {437, -1}, {425, -1},                      // openat2 io_uring_setup
};
constexpr Guarded kI386[] = {
    {15, 1},   {94, 1},   {306, 2}, {452, 2},  // chmod fchmod fchmodat fchmodat2
    {5, 2},    {295, 3},  {8, 1},              // open openat creat
    {14, 1},   {297, 2},                       // mknod mknodat
    {437, -1}, {425, -1},                      // openat2 io_uring_setup
};
constexpr uint32_t kSetIdBits = 06000;  // S_ISUID | S_ISGID

constexpr sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return {code, jt, jf, k}; }

constexpr size_t block_len(const Guarded& g) { return g.mode_arg < 0 ? 2 : 6; }

// The guarded calls of one ABI, sorted by number for the search below.
template <size_t N>
constexpr std::array<Guarded, N> sorted(const Guarded (&list)[N]) {
  std::array<Guarded, N> out{};
  for (size_t i = 0; i < N; ++i) {
    size_t j = i;
    for (; j > 0 && out[j - 1].nr > list[i].nr; --j) out[j] = out[j - 1];
    out[j] = list[i];
  }
  return out;
}

// A binary search on the syscall number down to runs of at most two
// guarded calls: a call the guard does not care about passes after a few
// comparisons instead of one per guarded call. That matters beyond the
// call itself: when a filter is installed the kernel runs it for every
// syscall number of each ABI to fill its action cache, so its length along
// the common path is paid once per launch too.
constexpr size_t kLeafRun = 2;

template <size_t N>
constexpr size_t tree_len(const std::array<Guarded, N>& g, size_t lo, size_t hi) {
  if (hi - lo <= kLeafRun) {
    size_t n = 1;  // ret ALLOW
    for (size_t i = lo; i < hi; ++i) n += block_len(g[i]);
    return n;
  }
  size_t mid = (lo + hi) / 2;
  return 1 + tree_len(g, lo, mid) + tree_len(g, mid, hi);
}

template <size_t L, size_t N>
constexpr size_t emit_tree(std::array<sock_filter, L>& p, size_t at, const std::array<Guarded, N>& g, size_t lo,
                           size_t hi) {
  if (hi - lo <= kLeafRun) {
    // Each block, with the syscall number in A:
    //   jeq NR, 0, 5; ld mode; and SETID; jeq 0, 0, 1; ret ALLOW; ret ERRNO(EPERM)
    // or, for a refused call: jeq NR, 0, 1; ret ERRNO(ENOSYS).
    for (size_t i = lo; i < hi; ++i) {
      if (g[i].mode_arg < 0) {
        p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, g[i].nr, 0, 1);
        p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
        continue;
      }
      p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, g[i].nr, 0, 5);
      p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(g[i].mode_arg));
      p[at++] = stmt(BPF_ALU | BPF_AND | BPF_K, kSetIdBits);
      p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
      p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
      p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
    }
    p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    return at;
  }
  // nr >= g[mid].nr: over the lower half.
  size_t mid = (lo + hi) / 2;
  p[at++] = jump(BPF_JMP | BPF_JGE | BPF_K, g[mid].nr, static_cast<uint8_t>(tree_len(g, lo, mid)), 0);
  at = emit_tree(p, at, g, lo, mid);
  return emit_tree(p, at, g, mid, hi);
}

constexpr auto kX86Sorted = sorted(kX86_64);
constexpr auto kI386Sorted = sorted(kI386);

// Layout:
//   ld arch; jeq X86_64 -> x86_64 part; jeq I386 -> i386 part; ret ALLOW
//   x86_64 part: ld nr; and ~x32 bit; search
//   i386 part:   ld nr; search
constexpr size_t kX86Len = 2 + tree_len(kX86Sorted, 0, kX86Sorted.size());
constexpr size_t kI386Len = 1 + tree_len(kI386Sorted, 0, kI386Sorted.size());
constexpr size_t kLen = 4 + kX86Len + kI386Len;

constexpr std::array<sock_filter, kLen> build() {
  std::array<sock_filter, kLen> p{};
  size_t at = 0;
  p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, kLoadArch);
  p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 2, 0);
  p[at++] = jump(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, static_cast<uint8_t>(1 + kX86Len), 0);
  p[at++] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr);
  p[at++] = stmt(BPF_ALU | BPF_AND | BPF_K, ~kX32Bit);
  at = emit_tree(p, at, kX86Sorted, 0, kX86Sorted.size());
  p[at++] = stmt(BPF_LD | BPF_W | BPF_ABS, kLoadNr);
  at = emit_tree(p, at, kI386Sorted, 0, kI386Sorted.size());
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
    return fail(f, Step::Seccomp, "seccomp(SECCOMP_SET_MODE_FILTER)", "set-id guard for idmapped binds", errno);
  return true;
}

}  // namespace stockade
