#include "seccomp_names.h"

#include <linux/audit.h>

namespace stockade::seccomp_names {
namespace {

// kNames, and per ABI kX (offsets into kNames by number - kXFirst).
#include "seccomp_names_tables.inc"

constexpr uint32_t kX32Bit = 0x40000000u;

template <uint32_t N>
const char* find(const uint16_t (&offsets)[N], uint32_t first, uint32_t nr) {
  if (nr < first || nr - first >= N) return nullptr;
  uint16_t offset = offsets[nr - first];
  return offset == kNone ? nullptr : kNames + offset;
}

}  // namespace

const char* abi_name(uint32_t audit_arch, uint32_t nr) {
  if (audit_arch == AUDIT_ARCH_X86_64) return (nr & kX32Bit) ? "x32" : "x86_64";
  if (audit_arch == AUDIT_ARCH_I386) return "i386";
  return nullptr;
}

const char* syscall_name(uint32_t audit_arch, uint32_t nr) {
  if (audit_arch == AUDIT_ARCH_X86_64)
    return (nr & kX32Bit) ? find(kX32, kX32First, nr) : find(kX86_64, kX86_64First, nr);
  if (audit_arch == AUDIT_ARCH_I386) return find(kI386, kI386First, nr);
  return nullptr;
}

}  // namespace stockade::seccomp_names
