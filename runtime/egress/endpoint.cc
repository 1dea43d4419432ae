// SPDX-License-Identifier: Apache-2.0
#include "egress/endpoint.h"

#include <arpa/inet.h>
#include <string.h>

namespace stockade::egress {
namespace {

constexpr const char* kPortWhy = "a port is N or LO-HI, 0..65535";

// Decimal 0..max, digits only, no leading '+', at most 5 digits.
bool number(std::string_view s, uint32_t max, uint32_t* out) {
  if (s.empty() || s.size() > 5) return false;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

const char* ports(std::string_view s, Endpoint& out) {
  size_t dash = s.find('-');
  uint32_t lo = 0, hi = 0;
  if (!number(s.substr(0, dash), 65535, &lo)) return kPortWhy;
  hi = lo;
  if (dash != std::string_view::npos && !number(s.substr(dash + 1), 65535, &hi)) return kPortWhy;
  if (hi < lo) return kPortWhy;
  out.has_port = true;
  out.port_lo = static_cast<uint16_t>(lo);
  out.port_hi = static_cast<uint16_t>(hi);
  return nullptr;
}

}  // namespace

const char* parse_endpoint(std::string_view s, Endpoint& out) {
  out = Endpoint{};
  if (s.empty()) return "empty";
  if (s.size() > 80) return "longer than 80 bytes";
  std::string_view addr = s, rest;
  if (s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return "[...] holds an IPv6 address";
    addr = s.substr(1, close - 1);
    rest = s.substr(close + 1);
    if (addr.find(':') == std::string_view::npos) return "[...] holds an IPv6 address";
  } else if (s.find(':') != s.rfind(':')) {
    // Two colons or more: an IPv6 address, which takes no port unbracketed.
    size_t slash = s.find('/');
    addr = s.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
    if (rest.find(':') != std::string_view::npos) return "an IPv6 address with a port is written [ADDR]:PORT";
  } else {
    size_t end = s.find_first_of("/:");
    addr = s.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : s.substr(end);
  }
  char text[64];
  if (addr.empty() || addr.size() >= sizeof text) return "not an IPv4 or IPv6 address";
  memcpy(text, addr.data(), addr.size());
  text[addr.size()] = '\0';
  unsigned char bytes[16];
  bool v6 = addr.find(':') != std::string_view::npos;
  if (inet_pton(v6 ? AF_INET6 : AF_INET, text, bytes) != 1) return "not an IPv4 or IPv6 address";
  out.family = v6 ? 6 : 4;
  for (unsigned w = 0; w < (v6 ? 4u : 1u); ++w)
    out.addr[w] = static_cast<uint32_t>(bytes[4 * w]) << 24 | static_cast<uint32_t>(bytes[4 * w + 1]) << 16 |
                  static_cast<uint32_t>(bytes[4 * w + 2]) << 8 | bytes[4 * w + 3];
  unsigned full = v6 ? 128 : 32;
  out.prefix = static_cast<uint8_t>(full);
  if (!rest.empty() && rest[0] == '/') {
    size_t colon = rest.find(':');
    uint32_t len = 0;
    if (!number(rest.substr(1, colon == std::string_view::npos ? std::string_view::npos : colon - 1), full, &len))
      return "a prefix length is 0..32 (IPv4) or 0..128 (IPv6)";
    out.prefix = static_cast<uint8_t>(len);
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
  }
  if (!rest.empty()) {
    if (rest[0] != ':') return "after the address: /PREFIX, :PORT";
    if (const char* why = ports(rest.substr(1), out)) return why;
  }
  for (unsigned w = 0; w < 4; ++w)
    if ((out.addr[w] & ~prefix_mask(out.prefix, w)) != 0 && w < (v6 ? 4u : 1u)) return "bits set beyond the prefix";
  // ::ffff:a.b.c.d is the IPv4 address it carries (how the kernel routes it).
  if (v6 && out.addr[0] == 0 && out.addr[1] == 0 && out.addr[2] == 0xffff && out.prefix >= 96) {
    out.family = 4;
    out.addr[0] = out.addr[3];
    out.addr[2] = out.addr[3] = 0;
    out.prefix = static_cast<uint8_t>(out.prefix - 96);
  }
  return nullptr;
}

}  // namespace stockade::egress
