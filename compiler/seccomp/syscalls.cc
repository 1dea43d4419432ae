// SPDX-License-Identifier: Apache-2.0
#include "syscalls.h"

#include <linux/audit.h>

#include <algorithm>
#include <array>

namespace stockade::seccomp {
namespace {

// Built by gen_syscall_table.cmake from the uapi headers of this machine.
constexpr SyscallEntry kX86_64[] = {
#include "syscalls_x86_64.inc"
};
constexpr SyscallEntry kX32[] = {
#include "syscalls_x32.inc"
};
constexpr SyscallEntry kI386[] = {
#include "syscalls_i386.inc"
};
constexpr SyscallEntry kAarch64[] = {
#include "syscalls_aarch64.inc"
};

constexpr std::array<AbiInfo, 4> kAbis = {{
    {Abi::X86_64, "x86_64", AUDIT_ARCH_X86_64, kX86_64, std::size(kX86_64)},
    // x32 shares the x86-64 audit arch; it is told apart by the x32 bit.
    {Abi::X32, "x32", AUDIT_ARCH_X86_64, kX32, std::size(kX32)},
    {Abi::I386, "i386", AUDIT_ARCH_I386, kI386, std::size(kI386)},
    {Abi::Aarch64, "aarch64", AUDIT_ARCH_AARCH64, kAarch64, std::size(kAarch64)},
}};

// Kernel-internal names (what Kafel and nsjail policies write) for syscalls
// the headers spell differently.
struct Alias {
  const char* alias;
  const char* canonical;
};
constexpr Alias kAliases[] = {
    {"newfstat", "fstat"}, {"newstat", "stat"},           {"newlstat", "lstat"},
    {"newuname", "uname"}, {"umount", "umount2"},         {"sendfile64", "sendfile"},
    {"sysctl", "_sysctl"}, {"fadvise64_64", "fadvise64"}, {"mmap_pgoff", "mmap"},
};

bool in_table(const AbiInfo& info, std::string_view name) {
  return std::any_of(info.table, info.table + info.count, [&](const SyscallEntry& e) { return name == e.name; });
}

}  // namespace

const AbiInfo& abi_info(Abi abi) {
  for (const AbiInfo& info : kAbis)
    if (info.abi == abi) return info;
  return kAbis[0];
}

std::optional<Abi> abi_from_name(std::string_view name) {
  for (const AbiInfo& info : kAbis)
    if (name == info.name) return info.abi;
  return std::nullopt;
}

std::string canonical_name(std::string_view name) {
  // Native 64-bit names first, then aliases (so Kafel's `umount` is the
  // x86-64 umount2, not i386's old umount), then the compat ABIs' own names.
  if (in_table(abi_info(Abi::X86_64), name) || in_table(abi_info(Abi::Aarch64), name)) return std::string(name);
  for (const Alias& a : kAliases)
    if (name == a.alias) return a.canonical;
  for (const AbiInfo& info : kAbis)
    if (in_table(info, name)) return std::string(name);
  return {};
}

std::vector<std::string> syscall_names(Abi abi) {
  const AbiInfo& info = abi_info(abi);
  std::vector<std::string> out;
  for (size_t i = 0; i < info.count; ++i) out.emplace_back(info.table[i].name);
  if (abi == Abi::X86_64)
    for (const Alias& a : kAliases) out.emplace_back(a.alias);
  return out;
}

std::optional<uint32_t> syscall_number(Abi abi, std::string_view canonical) {
  const AbiInfo& info = abi_info(abi);
  for (size_t i = 0; i < info.count; ++i)
    if (canonical == info.table[i].name) return info.table[i].nr;
  return std::nullopt;
}

const char* syscall_name(Abi abi, uint32_t nr) {
  const AbiInfo& info = abi_info(abi);
  for (size_t i = 0; i < info.count; ++i)
    if (info.table[i].nr == nr) return info.table[i].name;
  return nullptr;
}

}  // namespace stockade::seccomp
