#include "seccomp_names.h"

#include <linux/audit.h>

namespace stockade::seccomp_names {
namespace {

#include "seccomp_names_tables.inc"

constexpr uint32_t kX32Bit = 0x40000000u;

template <uint32_t N>
const char* find(const Entry (&table)[N], uint32_t nr) {
  for (const Entry& e : table)
    if (e.nr == nr) return e.name;
  return nullptr;
}

}  // namespace

const char* abi_name(uint32_t audit_arch, uint32_t nr) {
  if (audit_arch == AUDIT_ARCH_X86_64) return (nr & kX32Bit) ? "x32" : "x86_64";
  if (audit_arch == AUDIT_ARCH_I386) return "i386";
  return nullptr;
}

const char* syscall_name(uint32_t audit_arch, uint32_t nr) {
  if (audit_arch == AUDIT_ARCH_X86_64) return (nr & kX32Bit) ? find(kX32, nr) : find(kX86_64, nr);
  if (audit_arch == AUDIT_ARCH_I386) return find(kI386, nr);
  return nullptr;
}

}  // namespace stockade::seccomp_names
