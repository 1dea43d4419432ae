// SPDX-License-Identifier: Apache-2.0
// An address with an optional prefix length and port range, as the egress
// rules and `endpoint` params write it: `10.0.0.0/8`, `192.0.2.7:8000`,
// `2001:db8::/32`, `[2001:db8::1]:443`, `198.51.100.0/24:1000-2000`.
// IPv6 takes brackets when a port follows. An IPv4-mapped IPv6 address
// (`::ffff:10.0.0.1`, a prefix of /96 or longer) is the IPv4 address it
// carries. Pure code: the launcher checks params with it and the compiler
// (compiler/egress) reads the policy's constants with the same function, so
// the two cannot disagree on the format.
#pragma once

#include <stdint.h>

#include <string_view>

namespace stockade::egress {

struct Endpoint {
  uint8_t family = 0;  // 4 or 6
  uint8_t prefix = 0;  // 0..32 or 0..128 (a bare address: the whole length)
  bool has_port = false;
  uint16_t port_lo = 0;  // 0..65535 when no port was written
  uint16_t port_hi = 65535;
  uint32_t addr[4] = {};  // host-order words, most significant first; IPv4 in addr[0]
};

// nullptr when `s` is an endpoint (filled into `out`), else why not.
const char* parse_endpoint(std::string_view s, Endpoint& out);

// The mask of word `w` (0..3) of a prefix of `prefix` bits.
constexpr uint32_t prefix_mask(unsigned prefix, unsigned w) {
  unsigned bits = prefix > 32 * w ? prefix - 32 * w : 0;
  return bits >= 32 ? 0xffffffffu : bits == 0 ? 0u : ~(0xffffffffu >> bits);
}

}  // namespace stockade::egress
