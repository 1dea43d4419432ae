// SPDX-License-Identifier: Apache-2.0
// Syscall names for the launcher's report of a seccomp denial: "which
// syscall was it" needs the name of a number in the ABI the job used. The
// tables are generated from the kernel uapi headers (see
// compiler/seccomp/gen_runtime_names.cmake) and committed, so the launcher
// needs nothing from the compiler to build. Plain data, no allocation.
#pragma once

#include <stdint.h>

namespace stockade::seccomp_names {

// The ABI of a syscall as a seccomp filter sees it: "x86_64", "x32" (x86-64
// arch with the x32 bit, 0x40000000, set) or "i386" (int 0x80); nullptr for
// any other arch.
const char* abi_name(uint32_t audit_arch, uint32_t nr);

// The syscall's name in that ABI, e.g. (AUDIT_ARCH_X86_64, 101) -> "ptrace",
// (AUDIT_ARCH_X86_64, 0x40000209) -> "ptrace" (x32), (AUDIT_ARCH_I386, 26)
// -> "ptrace". nullptr when unknown.
const char* syscall_name(uint32_t audit_arch, uint32_t nr);

}  // namespace stockade::seccomp_names
