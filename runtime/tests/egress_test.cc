// SPDX-License-Identifier: Apache-2.0
// The endpoint format and the assembled egress programs, on the host. The
// programs' behaviour under the kernel is tests/integration/test_egress.py.
#include <doctest/doctest.h>

#include <string.h>

#include <string>

#include "egress/assemble.h"
#include "egress/endpoint.h"
#include "egress/layout.h"

namespace stockade::egress {
namespace {

TEST_CASE("endpoint: addresses, prefixes, ports") {
  Endpoint e;
  REQUIRE(parse_endpoint("10.0.0.0/8", e) == nullptr);
  CHECK(e.family == 4);
  CHECK(e.prefix == 8);
  CHECK(e.addr[0] == 0x0a000000u);
  CHECK(!e.has_port);
  REQUIRE(parse_endpoint("192.0.2.7:8000", e) == nullptr);
  CHECK(e.prefix == 32);
  CHECK(e.port_lo == 8000);
  CHECK(e.port_hi == 8000);
  REQUIRE(parse_endpoint("198.51.100.0/24:1000-2000", e) == nullptr);
  CHECK(e.port_lo == 1000);
  CHECK(e.port_hi == 2000);
  REQUIRE(parse_endpoint("2001:db8::/32", e) == nullptr);
  CHECK(e.family == 6);
  CHECK(e.addr[0] == 0x20010db8u);
  REQUIRE(parse_endpoint("[2001:db8::1]:443", e) == nullptr);
  CHECK(e.addr[3] == 1);
  CHECK(e.port_lo == 443);
  // IPv4-mapped: the IPv4 address it carries.
  REQUIRE(parse_endpoint("::ffff:10.1.2.3", e) == nullptr);
  CHECK(e.family == 4);
  CHECK(e.addr[0] == 0x0a010203u);
  CHECK(e.prefix == 32);
  REQUIRE(parse_endpoint("[::ffff:10.0.0.0]/104:53", e) == nullptr);
  CHECK(e.family == 4);
  CHECK(e.prefix == 8);
}

TEST_CASE("endpoint: refusals") {
  Endpoint e;
  for (const char* bad :
       {"", "10.0.0.1/33", "10.0.0.1/8", "2001:db8::/64:443", "10.0.0.1:65536", "10.0.0.1:9-8", "host:80",
        "[10.0.0.1]:80", "10.0.0.1:", "10.0.0.1/", "[2001:db8::1", "10.0.0.1 ", "2001:db8::/129", "1.2.3.4:+5"})
    CHECK_MESSAGE(parse_endpoint(bad, e) != nullptr, std::string(bad));
  CHECK(strcmp(parse_endpoint("10.0.0.1/8", e), "bits set beyond the prefix") == 0);
}

TEST_CASE("prefix masks per word") {
  CHECK(prefix_mask(8, 0) == 0xff000000u);
  CHECK(prefix_mask(32, 0) == 0xffffffffu);
  CHECK(prefix_mask(0, 0) == 0);
  CHECK(prefix_mask(40, 1) == 0xff000000u);
  CHECK(prefix_mask(40, 2) == 0);
  CHECK(prefix_mask(128, 3) == 0xffffffffu);
}

TEST_CASE("assemble: an empty rule list denies, the mapped jump lands on the IPv4 rules") {
  table::Egress none{{nullptr, 0}};
  ParamValues values;
  bpf_insn buf[64];
  Programs p{};
  Failure f{};
  REQUIRE(assemble(none, values, buf, 64, p, f));
  // v4: prologue of 5, then r0 = 0; exit.
  REQUIRE(p.v4.count == 7);
  CHECK(p.v4.insns[5].imm == kVerdictDeny);
  // v6: the `ja` after the mapped test jumps past the v6 deny to the v4 part.
  const bpf_insn* ja = nullptr;
  for (uint32_t i = 0; i < p.v6.count; ++i)
    if (p.v6.insns[i].code == (BPF_JMP | BPF_JA)) ja = &p.v6.insns[i];
  REQUIRE(ja != nullptr);
  CHECK(ja->off == 2);
  CHECK(!assemble(none, values, buf, 8, p, f));
}

TEST_CASE("assemble: a template block is copied per value and patched") {
  // A v4 template: and r8 MASK, jne PREFIX, jlt LO, jgt HI, r0 = 1, exit (patch_at 1, after a mov).
  bpf_insn tmpl[7]{};
  tmpl[1].imm = 0;
  tmpl[3].imm = 53;
  tmpl[4].imm = 53;
  tmpl[5].imm = kVerdictAllow;
  table::EgressBlock block{4, 0, 1, {tmpl, 7}};
  table::Egress e{{&block, 1}};
  ParamValues values;
  const char* items[] = {"192.0.2.1", "2001:db8::1", "198.51.100.0/24:53"};
  values.v[0].set = true;
  values.v[0].items = items;
  values.v[0].item_count = 3;
  bpf_insn buf[128];
  Programs p{};
  Failure f{};
  REQUIRE(assemble(e, values, buf, 128, p, f));
  CHECK(p.v4.count == 5 + 2 * 7 + 2);
  CHECK(static_cast<uint32_t>(p.v4.insns[5 + 1].imm) == 0xffffffffu);
  CHECK(static_cast<uint32_t>(p.v4.insns[5 + 2].imm) == 0xc0000201u);
  CHECK(static_cast<uint32_t>(p.v4.insns[12 + 1].imm) == 0xffffff00u);
  CHECK(p.v4.insns[12 + 3].imm == 53);
  // A value whose port is outside the rule's: refused, naming it.
  const char* wrong[] = {"192.0.2.1:80"};
  values.v[0].items = wrong;
  values.v[0].item_count = 1;
  CHECK(!assemble(e, values, buf, 128, p, f));
  CHECK(f.step == Step::Param);
}

}  // namespace
}  // namespace stockade::egress
