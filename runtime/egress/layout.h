// SPDX-License-Identifier: Apache-2.0
// The contract between compiler/egress (which compiles each rule of a
// `network filtered` block into eBPF instructions) and runtime/egress
// (which puts the blocks together into the cgroup programs at launch).
// Both include this header; it is the one place these facts live.
#pragma once

#include <stdint.h>

namespace stockade::egress {

// Registers when a rule block starts (set by the launcher's prologue):
constexpr uint8_t kRegWord0 = 2;    // r2..r5: the destination address, host-order words
                                    // (an IPv4 address, or a mapped one, in r2 only)
constexpr uint8_t kRegPort = 6;     // r6: the destination port, host order
constexpr uint8_t kRegProto = 7;    // r7: the socket's protocol (IPPROTO_TCP / IPPROTO_UDP)
constexpr uint8_t kRegScratch = 8;  // r8: free for a block
// A block ends in `r0 = verdict; exit` when its rule applies and otherwise
// falls through to the next block; its jumps never leave it.
constexpr int32_t kVerdictDeny = 0;
constexpr int32_t kVerdictAllow = 1;

// A template block (a rule on an `endpoint` param) is copied once per value
// with these immediates patched, counted from the block's `patch_at`: for
// each address word w (1 for IPv4, 4 for IPv6) `and r8, MASK_w` at
// 3*w and `jne r8, PREFIX_w` at 3*w + 1; then `jlt r6, LO` and `jgt r6, HI`.
constexpr unsigned patch_mask(unsigned w) { return 3 * w; }
constexpr unsigned patch_prefix(unsigned w) { return 3 * w + 1; }
constexpr unsigned patch_port_lo(unsigned words) { return 3 * words - 1; }
constexpr unsigned patch_port_hi(unsigned words) { return 3 * words; }

// struct bpf_sock_addr field offsets (linux/bpf.h), the ones the prologue reads.
constexpr int16_t kCtxUserIp4 = 4;
constexpr int16_t kCtxUserIp6 = 8;
constexpr int16_t kCtxUserPort = 24;
constexpr int16_t kCtxProtocol = 36;

}  // namespace stockade::egress
