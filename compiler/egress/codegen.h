// SPDX-License-Identifier: Apache-2.0
// Compiles `network filtered` rules (IR) into eBPF rule blocks, one per
// rule and address family, in the shape runtime/egress/layout.h states:
// the launcher's prologue has loaded the destination into r2..r5, the port
// into r6 and the protocol into r7; a block exits with the rule's verdict
// when it applies and falls through otherwise, its jumps never leaving it.
// A rule on an endpoint param becomes a template the launcher copies and
// patches once per value.
#pragma once

#include <cstdint>
#include <vector>

#include "policy_ir.pb.h"

namespace stockade::egress {

struct Insn {
  uint8_t code = 0;
  uint8_t dst = 0;
  uint8_t src = 0;
  int16_t off = 0;
  int32_t imm = 0;
};

struct Block {
  uint8_t family = 4;
  int32_t param = -1;     // -1: none; else the endpoint param of a template
  uint16_t patch_at = 0;  // template: the first patched instruction
  std::vector<Insn> code;
};

std::vector<Block> compile_rules(const google::protobuf::RepeatedPtrField<ir::EgressRule>& rules);

// The verdict of `blocks` (one family's, in order; templates match nothing,
// as with every param empty) for a destination: words in host order
// (IPv4: words[0]), port, protocol. Runs the instructions themselves, so the
// build's expect checks test the code the launcher will load. 0 deny, 1 allow.
int run_blocks(const std::vector<Block>& blocks, uint8_t family, const uint32_t words[4], uint16_t port, uint8_t proto);

}  // namespace stockade::egress
