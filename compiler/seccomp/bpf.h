// SPDX-License-Identifier: Apache-2.0
// Classic-BPF vocabulary shared by every seccomp pass: the instruction type,
// opcode helpers, seccomp_data offsets and seccomp return values. The values
// come from the kernel's uapi headers so they cannot drift.
#pragma once

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cstdint>
#include <vector>

namespace stockade::seccomp {

// Same layout as struct sock_filter.
struct Insn {
  uint16_t code = 0;
  uint8_t jt = 0;
  uint8_t jf = 0;
  uint32_t k = 0;
  bool operator==(const Insn&) const = default;
};
using Program = std::vector<Insn>;

// Kernel limits the compiler enforces (include/uapi/linux/filter.h).
constexpr uint32_t kMaxInsns = BPF_MAXINSNS;  // 4096
constexpr uint32_t kMemWords = BPF_MEMWORDS;  // 16 scratch slots
constexpr uint32_t kMaxCondJump = 255;        // jt/jf are 8 bits

// struct seccomp_data field offsets (little-endian: low word first).
constexpr uint32_t kOffNr = 0;
constexpr uint32_t kOffArch = 4;
constexpr uint32_t kOffIpLo = 8;
constexpr uint32_t kOffArgs = 16;
constexpr uint32_t kSeccompDataSize = 64;
constexpr uint32_t arg_lo(uint32_t i) { return kOffArgs + 8 * i; }
constexpr uint32_t arg_hi(uint32_t i) { return kOffArgs + 8 * i + 4; }

constexpr uint32_t kX32Bit = 0x40000000u;  // __X32_SYSCALL_BIT

inline Insn stmt_insn(uint16_t code, uint32_t k) { return Insn{code, 0, 0, k}; }
inline Insn jump_insn(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return Insn{code, jt, jf, k}; }

// The seccomp_data the kernel hands a filter.
struct SeccompData {
  uint32_t nr = 0;
  uint32_t arch = AUDIT_ARCH_X86_64;
  uint64_t ip = 0;
  uint64_t args[6] = {0, 0, 0, 0, 0, 0};
};

}  // namespace stockade::seccomp
