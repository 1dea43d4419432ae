// SPDX-License-Identifier: Apache-2.0
#include "seccomp_names.h"

#include <linux/audit.h>

namespace stockade::seccomp_names {
namespace {

// Numbers first .. first + count - 1 have their name offsets at
// offsets[start ..] of the ABI's array.
struct Run {
  uint32_t first;
  uint32_t count;
  uint32_t start;
};

// kNames, per ABI kX (offsets into kNames) and kXRuns, and kX32Missing.
#include "seccomp_names_tables.inc"

constexpr uint32_t kX32Bit = 0x40000000u;

template <uint32_t N, uint32_t R>
const char* find(const uint16_t (&offsets)[N], const Run (&runs)[R], uint32_t nr) {
  for (const Run& run : runs) {
    if (nr < run.first || nr - run.first >= run.count || run.start + (nr - run.first) >= N) continue;
    uint16_t offset = offsets[run.start + (nr - run.first)];
    return offset == kNone ? nullptr : kNames + offset;
  }
  return nullptr;
}

}  // namespace

const char* abi_name(uint32_t audit_arch, uint32_t nr) {
  if (audit_arch == AUDIT_ARCH_X86_64) return (nr & kX32Bit) ? "x32" : "x86_64";
  if (audit_arch == AUDIT_ARCH_I386) return "i386";
  return nullptr;
}

const char* syscall_name(uint32_t audit_arch, uint32_t nr) {
  if (audit_arch == AUDIT_ARCH_X86_64 && (nr & kX32Bit)) {
    // Below 512, x32 shares x86-64's numbers and names, less kX32Missing.
    uint32_t base = nr - kX32Bit;
    if (base >= 512) return find(kX32, kX32Runs, nr);
    for (uint16_t missing : kX32Missing)
      if (missing == base) return nullptr;
    return find(kX86_64, kX86_64Runs, base);
  }
  if (audit_arch == AUDIT_ARCH_X86_64) return find(kX86_64, kX86_64Runs, nr);
  if (audit_arch == AUDIT_ARCH_I386) return find(kI386, kI386Runs, nr);
  return nullptr;
}

}  // namespace stockade::seccomp_names
