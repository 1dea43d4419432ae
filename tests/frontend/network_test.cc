// SPDX-License-Identifier: Apache-2.0
// `network filtered { ... }`: the rule reader's errors (pinned text), the
// lowering into the IR, the build-time expect checks, and the compiled
// rule blocks against a plain reading of the rules on many destinations.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>

#include "egress/codegen.h"
#include "egress/endpoint.h"
#include "egress/internet.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

using test::compile_snippet;
using test::errors_of;

TEST_SUITE("network") {
  TEST_CASE("rules lower in order, with params, ports and protocols") {
    test::Compiled c = compile_snippet(
        "policy p {\n"
        "  param DNS : endpoint[]\n"
        "  param SRV : endpoint?\n"
        "  network filtered {\n"
        "    allow udp ${DNS} port 53   # a comment\n"
        "    allow tcp ${SRV}; deny [2001:db8::1]:443\n"
        "    allow internet\n"
        "  }\n"
        "}\n");
    REQUIRE_MESSAGE(c.ok, c.diagnostics);
    const ir::NetworkSetting& n = c.set.policies(0).network(0);
    CHECK(n.mode() == ir::NET_FILTERED);
    REQUIRE(n.rules_size() == 4);
    CHECK(n.rules(0).target() == ir::TARGET_PARAM);
    CHECK(n.rules(0).proto() == ir::EGRESS_UDP);
    CHECK(n.rules(0).port_lo() == 53);
    CHECK(n.rules(1).param() == 1);
    CHECK(n.rules(2).action() == ir::EGRESS_DENY);
    CHECK(n.rules(2).cidr().family() == 6);
    CHECK(n.rules(2).port_hi() == 443);
    CHECK(n.rules(3).target() == ir::TARGET_INTERNET);
    CHECK(c.set.policies(0).params(0).type() == ir::PARAM_ENDPOINT);
  }

  TEST_CASE("errors name the place") {
    CHECK(errors_of("policy p {\n  network filtered { allow tcp 10.0.0.1/8 }\n}\n") ==
          "test.policy:2:32: error: '10.0.0.1/8' is not a destination (any, internet, ADDR[/PREFIX][:PORT], "
          "${PARAM}): bits set beyond the prefix\n"
          "  network filtered { allow tcp 10.0.0.1/8 }\n"
          "                               ^~~~~~~~~~\n");
    CHECK(errors_of("policy p {\n  network filtered {\n    allow ${X}\n  }\n}\n") ==
          "test.policy:3:11: error: unknown param 'X'\n"
          "    allow ${X}\n"
          "          ^~~~\n");
    CHECK(errors_of("policy p {\n  param X : path\n  network filtered { allow ${X} }\n}\n") ==
          "test.policy:3:28: error: 'X' is a path param; a rule takes an endpoint param\n"
          "  network filtered { allow ${X} }\n"
          "                           ^~~~\n");
    CHECK(errors_of("policy p {\n  network filtered { permit any }\n}\n") ==
          "test.policy:2:22: error: 'permit' in a filtered block: a rule starts with allow, deny or expect\n"
          "  network filtered { permit any }\n"
          "                     ^~~~~~\n");
    CHECK(errors_of("policy p {\n  network filtered { allow any port 70000 }\n}\n") ==
          "test.policy:2:37: error: '70000' is not a port or a port range LO-HI (0..65535)\n"
          "  network filtered { allow any port 70000 }\n"
          "                                    ^~~~~\n");
    CHECK(errors_of("policy p {\n  network filtered\n}\n")
              .find("test.policy:2:11: error: 'network filtered' takes its rules in braces") == 0);
    CHECK(errors_of("policy p {\n  network filtered { allow any\n").find("unterminated 'filtered' block") !=
          std::string::npos);
    CHECK(errors_of("policy p {\n  param E : endpoint = \"10.0.0.1:99999\"\n}\n")
              .find("default of 'E' is not an endpoint") != std::string::npos);
    CHECK(errors_of("policy p {\n  param E : endpoint\n  hostname \"${E}\"\n}\n")
              .find("endpoint param 'E' can only stand in a 'network filtered' rule") != std::string::npos);
  }

  TEST_CASE("expect connect is checked against the compiled rules") {
    CHECK(errors_of("policy p {\n  network filtered {\n    allow internet\n"
                    "    expect connect 169.254.169.254:80 -> allow\n  }\n}\n") ==
          "test.policy:4:5: error: expect connect 169.254.169.254:80 -> allow fails in policy 'p': the rules deny "
          "it over tcp\n"
          "    expect connect 169.254.169.254:80 -> allow\n"
          "    ^~~~~~\n");
    CHECK(errors_of("policy p {\n  network filtered {\n    allow tcp internet\n"
                    "    expect connect tcp [::ffff:198.51.100.1]:443 -> allow\n"
                    "    expect connect udp 198.51.100.1:443 -> deny\n"
                    "    expect connect [::ffff:127.0.0.1]:80 -> deny\n  }\n}\n") == "");
    CHECK(errors_of("policy p {\n  network filtered { expect connect 10.0.0.0/8:80 -> deny }\n}\n")
              .find("an expect names one address and one port") != std::string::npos);
  }

  // A plain reading of the rules: first match wins, none denies.
  bool in(const egress::Endpoint& e, uint8_t family, const uint32_t w[4]) {
    if (e.family != family) return false;
    for (unsigned i = 0; i < (family == 4 ? 1u : 4u); ++i)
      if ((w[i] & egress::prefix_mask(e.prefix, i)) != e.addr[i]) return false;
    return true;
  }
  int reference(const ir::PolicyIr& p, uint8_t family, const uint32_t w[4], uint16_t port, uint8_t proto) {
    for (const ir::EgressRule& r : p.network(0).rules()) {
      if (r.proto() != ir::EGRESS_ANY_PROTO && static_cast<uint8_t>(r.proto()) != proto) continue;
      if (r.has_ports() && (port < r.port_lo() || port > r.port_hi())) continue;
      bool match = false;
      if (r.target() == ir::TARGET_ANY) match = true;
      if (r.target() == ir::TARGET_CIDR) {
        egress::Endpoint e;
        e.family = static_cast<uint8_t>(r.cidr().family());
        e.prefix = static_cast<uint8_t>(r.cidr().prefix());
        for (int i = 0; i < r.cidr().words_size(); ++i) e.addr[i] = r.cidr().words(i);
        match = in(e, family, w);
      }
      if (r.target() == ir::TARGET_INTERNET) {
        match = true;
        for (const egress::Excluded& x : egress::kNotInternet) {
          egress::Endpoint e;
          REQUIRE(egress::parse_endpoint(x.cidr, e) == nullptr);
          if (in(e, family, w)) match = false;
        }
      }
      if (match) return r.action() == ir::EGRESS_ALLOW ? 1 : 0;
    }
    return 0;
  }

  TEST_CASE("the compiled blocks agree with the rules on many destinations") {
    test::Compiled c = compile_snippet(
        "policy p {\n  network filtered {\n"
        "    deny tcp 198.51.100.66 port 80-90\n    allow udp 10.1.0.0/16 port 53\n"
        "    deny fe80::/10\n    allow tcp 2001:db8::/33 port 443\n    deny 192.0.2.0/25\n"
        "    allow internet\n    allow udp any port 123\n  }\n}\n");
    REQUIRE_MESSAGE(c.ok, c.diagnostics);
    const ir::PolicyIr& p = c.set.policies(0);
    std::vector<egress::Block> blocks = egress::compile_rules(p.network(0).rules());
    // Addresses near every prefix the rules name, and random ones.
    const char* seeds[] = {"198.51.100.66",  "10.1.2.3",   "10.2.0.1", "127.0.0.1",   "169.254.169.254",  "192.0.2.1",
                           "192.0.2.200",    "100.64.0.1", "8.8.8.8",  "224.0.0.1",   "255.255.255.255",  "0.0.0.0",
                           "172.31.255.255", "172.32.0.0", "fe80::1",  "2001:db8::1", "2001:db8:8000::1", "::1",
                           "fd00::1",        "2a00::1",    "ff02::1",  "::"};
    std::mt19937 rng(12);
    int checked = 0;
    for (int round = 0; round < 4000; ++round) {
      egress::Endpoint e;
      REQUIRE(egress::parse_endpoint(seeds[static_cast<size_t>(round) % (sizeof seeds / sizeof seeds[0])], e) ==
              nullptr);
      uint32_t w[4] = {e.addr[0], e.addr[1], e.addr[2], e.addr[3]};
      if (round % 3 == 1) w[e.family == 4 ? 0 : 3] ^= 1u << (rng() % 32);
      if (round % 3 == 2) w[0] = static_cast<uint32_t>(rng());
      uint16_t ports[] = {53, 80, 85, 91, 123, 443, static_cast<uint16_t>(rng())};
      for (uint16_t port : ports)
        for (uint8_t proto : {uint8_t{6}, uint8_t{17}}) {
          CAPTURE(round);
          CAPTURE(port);
          CHECK(egress::run_blocks(blocks, e.family, w, port, proto) == reference(p, e.family, w, port, proto));
          ++checked;
        }
    }
    CHECK(checked == 4000 * 7 * 2);
  }
}

}  // namespace
}  // namespace stockade::frontend
