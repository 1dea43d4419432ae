// SPDX-License-Identifier: Apache-2.0
// The launcher's syscall-name lookup agrees with the compiler's tables.
#include <doctest/doctest.h>

#include <linux/audit.h>

#include "runtime/seccomp_names.h"
#include "syscalls.h"

using namespace stockade;

TEST_CASE("seccomp_names: every ABI, including the x32 bit") {
  CHECK(std::string(seccomp_names::syscall_name(AUDIT_ARCH_X86_64, 101)) == "ptrace");
  CHECK(std::string(seccomp_names::abi_name(AUDIT_ARCH_X86_64, 101)) == "x86_64");
  CHECK(std::string(seccomp_names::syscall_name(AUDIT_ARCH_X86_64, 0x40000000u | 521)) == "ptrace");
  CHECK(std::string(seccomp_names::abi_name(AUDIT_ARCH_X86_64, 0x40000000u | 521)) == "x32");
  CHECK(std::string(seccomp_names::syscall_name(AUDIT_ARCH_I386, 26)) == "ptrace");
  CHECK(std::string(seccomp_names::abi_name(AUDIT_ARCH_I386, 26)) == "i386");
  CHECK(seccomp_names::syscall_name(AUDIT_ARCH_X86_64, 100000) == nullptr);
  CHECK(seccomp_names::syscall_name(AUDIT_ARCH_AARCH64, 1) == nullptr);
  CHECK(seccomp_names::abi_name(AUDIT_ARCH_AARCH64, 1) == nullptr);
}

TEST_CASE("seccomp_names: same table as the compiler's") {
  for (seccomp::Abi abi : {seccomp::Abi::X86_64, seccomp::Abi::X32, seccomp::Abi::I386}) {
    const seccomp::AbiInfo& info = seccomp::abi_info(abi);
    REQUIRE(info.count > 300);
    for (size_t i = 0; i < info.count; ++i) {
      const char* name = seccomp_names::syscall_name(info.audit_arch, info.table[i].nr);
      REQUIRE(name != nullptr);
      // Numbers are unique per ABI, so the first match is the entry itself.
      CHECK(std::string(name) == seccomp::syscall_name(abi, info.table[i].nr));
    }
  }
}

TEST_CASE("seccomp_names: numbers the ABI lacks have no name") {
  // The launcher's tables are dense arrays with holes (e.g. x32 335..511);
  // a hole or a number past the end must read as unknown, not as a neighbour.
  for (seccomp::Abi abi : {seccomp::Abi::X86_64, seccomp::Abi::X32, seccomp::Abi::I386}) {
    const seccomp::AbiInfo& info = seccomp::abi_info(abi);
    uint32_t base = abi == seccomp::Abi::X32 ? 0x40000000u : 0u;
    size_t holes = 0;
    for (uint32_t nr = base; nr < base + 1024; ++nr) {
      bool known = false;
      for (size_t i = 0; i < info.count && !known; ++i) known = info.table[i].nr == nr;
      if (known) continue;
      ++holes;
      CHECK(seccomp_names::syscall_name(info.audit_arch, nr) == nullptr);
    }
    CHECK(holes > 100);
  }
}
