// SPDX-License-Identifier: Apache-2.0
// import-nsjail: traffic_rule (field 96) and user_net (field 97) into
// `network filtered`, and the field-by-field warnings where they differ.
#include <doctest/doctest.h>

#include <string>

#include "diag/diagnostics.h"
#include "frontend/frontend.h"
#include "import.h"
#include "policy_ir.pb.h"

namespace {

using stockade::diag::Sink;
using stockade::diag::SourceMap;

struct Imported {
  bool ok = false;
  std::string policy;
  std::string diagnostics;
};

Imported import(const std::string& text) {
  Sink sink;
  Imported r;
  r.ok = stockade::nsjail::import_config("net.cfg", text, stockade::nsjail::ImportOptions{}, sink, r.policy);
  SourceMap sources;
  sources.add("net.cfg", text);
  r.diagnostics = render_all(sink, sources);
  return r;
}

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST_CASE("user_net rules and traffic_rule become network filtered, in order, ending in nsjail's allow") {
  Imported r = import(
      "mode: ONCE\n"
      "traffic_rule { dst_ip: \"10.0.0.0/8\" action: DROP }\n"
      "traffic_rule { dst_ip: \"fc00::/7\" ip_family: IPV6 action: REJECT }\n"
      "user_net {\n"
      "  rule4 { proto: TCP dport: 80 action: ALLOW }\n"
      "  rule4 { proto: UDP dport: 5000 dport_end: 5010 dst_ip: \"198.51.100.0/24\" action: ALLOW }\n"
      "  rule6 { action: DROP }\n"
      "}\n");
  REQUIRE(r.ok);
  CHECK(has(r.policy,
            "  network filtered {\n"
            "    deny 10.0.0.0/8\n"
            "    deny fc00::/7\n"
            "    allow tcp 0.0.0.0/0 port 80\n"
            "    allow udp 198.51.100.0/24 port 5000-5010\n"
            "    deny ::/0\n"
            "    allow any\n"
            "  }"));
  CHECK(!has(r.diagnostics, "importer bug"));
  // The result compiles, and its rules say what nsjail's did.
  Sink sink;
  SourceMap sources;
  stockade::ir::PolicySet set;
  CHECK(stockade::frontend::compile_text("net.policy", r.policy, ".", {}, sources, sink, set));
  REQUIRE(set.policies_size() == 1);
  const auto& net = set.policies(0).network();
  REQUIRE(net.size() >= 1);
  CHECK(net[net.size() - 1].mode() == stockade::ir::NET_FILTERED);
  CHECK(net[net.size() - 1].rules_size() == 6);
}

TEST_CASE("what does not carry over is reported field by field") {
  Imported r = import(
      "mode: ONCE\n"
      "traffic_rule { dst_ip: \"192.168.0.0/16\" src_ip: \"10.1.0.0/16\" action: DROP }\n"
      "traffic_rule { dst_ip: \"203.0.113.0/24\" iif: \"eth0\" action: ALLOW }\n"
      "traffic_rule { proto: ICMP action: DROP }\n"
      "user_net {\n"
      "  backend: PASTA\n"
      "  pasta { map_gw: false }\n"
      "  ip4: \"10.255.255.2\"\n"
      "  rule4 { action: ENCAP_SOCKS5 redirect_ip: \"127.0.0.1\" redirect_port: 1080 }\n"
      "  rule4 { direction: HOST_TO_GUEST dport: 8080 action: ALLOW }\n"
      "  rule4 { dst_ip: \"not-an-address\" action: DROP }\n"
      "}\n");
  REQUIRE(r.ok);
  // A deny with a source condition holds for every source; an allow with one is left out.
  CHECK(has(r.policy, "    deny 192.168.0.0/16\n"));
  CHECK(!has(r.policy, "203.0.113.0/24"));
  for (const char* field :
       {"traffic_rule[0].src_ip", "traffic_rule[1].iif", "traffic_rule[2].proto", "user_net.backend",
        "user_net.pasta.map_gw", "user_net.ip4", "user_net.rule4[0].action", "user_net.rule4[0].redirect_ip",
        "user_net.rule4[0].redirect_port", "user_net.rule4[1].direction", "user_net.rule4[2].dst_ip"})
    CHECK_MESSAGE(has(r.diagnostics, std::string("field ") + field + " is not supported"), field);
  CHECK(has(r.diagnostics, "the deny holds for every source"));
  CHECK(has(r.diagnostics, "the allow is left out"));
  CHECK(!has(r.diagnostics, "importer bug"));
}

TEST_CASE("without user_net, or with the host network, the rules change nothing and are reported") {
  Imported own = import("mode: ONCE\ntraffic_rule { dst_ip: \"10.0.0.0/8\" action: DROP }\n");
  REQUIRE(own.ok);
  CHECK(!has(own.policy, "network filtered"));
  CHECK(has(own.diagnostics, "field traffic_rule[0] is not supported: without user_net"));
  CHECK(!has(own.diagnostics, "importer bug"));
  Imported host = import("mode: ONCE\nclone_newnet: false\nuser_net { rule4 { action: DROP } }\n");
  REQUIRE(host.ok);
  CHECK(!has(host.policy, "network filtered"));
  CHECK(has(host.diagnostics, "field user_net is not supported: it has no effect with clone_newnet: false"));
  CHECK(!has(host.diagnostics, "importer bug"));
}

}  // namespace
