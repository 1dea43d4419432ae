// SPDX-License-Identifier: Apache-2.0
// What the launcher's hand-written filters (unix_guard.cc, shmem_guard.cc,
// setuid_guard.cc) are built from: instruction constructors and the
// offsets they load from seccomp_data. Constants only; each filter's
// program stays in its own file.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

namespace stockade::bpf {

constexpr uint32_t kLoadNr = offsetof(seccomp_data, nr);
constexpr uint32_t kLoadArch = offsetof(seccomp_data, arch);
// The low 32 bits of an argument (little-endian): the ints and modes the
// filters compare fit in them.
constexpr uint32_t arg_low(int i) { return static_cast<uint32_t>(offsetof(seccomp_data, args) + 8 * i); }
// x32 calls are x86-64's numbers with this bit set; the filters mask it off.
constexpr uint32_t kX32Bit = 0x40000000;

constexpr sock_filter stmt(uint16_t code, uint32_t k) { return {code, 0, 0, k}; }
constexpr sock_filter jeq(uint32_t k, uint8_t jt, uint8_t jf) { return {BPF_JMP | BPF_JEQ | BPF_K, jt, jf, k}; }
// A jump's offset from instruction `from` to `to`: the instructions it skips.
constexpr uint8_t off(int from, int to) { return static_cast<uint8_t>(to - from - 1); }

}  // namespace stockade::bpf
