// SPDX-License-Identifier: Apache-2.0
#include "frontend/network.h"

#include <string>

#include "egress/codegen.h"
#include "egress/rules.h"

namespace stockade::frontend {
namespace {

egress::ParamResolver resolver(const PolicyInfo& info, diag::Sink& sink) {
  return [&info, &sink](const std::string& name, const diag::Location& at) -> std::optional<uint32_t> {
    const ast::ParamDecl* d = info.param(name);
    if (d == nullptr) {
      sink.error(at, "unknown param '" + name + "'");
      return std::nullopt;
    }
    std::optional<ParamType> t = info.type(*d);
    if (!t) return std::nullopt;  // its unknown type is reported by the types pass
    if (*t != ParamType::Endpoint) {
      sink.error(at, "'" + name + "' is a " + std::string(spelling(*t)) + " param; a rule takes an endpoint param");
      return std::nullopt;
    }
    return static_cast<uint32_t>(info.param_index(name));
  };
}

const char* proto_name(ir::EgressProto p) { return p == ir::EGRESS_TCP ? "tcp" : "udp"; }

}  // namespace

bool check_network_rules(const Scope& scope, diag::Sink& sink) {
  size_t before = sink.error_count();
  for (const auto& [name, info] : scope.policies)
    for (const ast::Stmt& s : info.policy->body)
      if (const auto* net = std::get_if<ast::NetworkStmt>(&s.body); net && net->rules)
        egress::parse_rules(*net->rules, resolver(info, sink), sink);
  return sink.error_count() == before;
}

void lower_filter_rules(const PolicyInfo& info, const ast::FilterBlock& block, ir::NetworkSetting& out) {
  diag::Sink ignored;  // the check pass reported everything already
  egress::Parsed p = egress::parse_rules(block, resolver(info, ignored), ignored);
  for (ir::EgressRule& r : p.rules) *out.add_rules() = std::move(r);
  for (ir::EgressExpect& x : p.expects) *out.add_expects() = std::move(x);
}

bool check_network_expects(const ir::PolicyIr& policy, diag::Sink& sink) {
  size_t before = sink.error_count();
  for (const ir::NetworkSetting& n : policy.network()) {
    if (n.expects_size() == 0) continue;
    std::vector<egress::Block> blocks = egress::compile_rules(n.rules());
    for (const ir::EgressExpect& x : n.expects()) {
      uint32_t words[4] = {};
      for (int w = 0; w < x.address().words_size() && w < 4; ++w) words[w] = x.address().words(w);
      for (ir::EgressProto p : {ir::EGRESS_TCP, ir::EGRESS_UDP}) {
        if (x.proto() != ir::EGRESS_ANY_PROTO && x.proto() != p) continue;
        int got = egress::run_blocks(blocks, static_cast<uint8_t>(x.address().family()), words,
                                     static_cast<uint16_t>(x.port()), static_cast<uint8_t>(p));
        int want = x.action() == ir::EGRESS_ALLOW ? 1 : 0;
        if (got == want) continue;
        diag::Location at{x.location().file(), x.location().line(), x.location().column(), 6};
        sink.error(at, "expect " + x.text() + " fails in policy '" + policy.name() + "': the rules " +
                           (got == 1 ? "allow" : "deny") + " it over " + proto_name(p));
        break;
      }
    }
  }
  return sink.error_count() == before;
}

}  // namespace stockade::frontend
