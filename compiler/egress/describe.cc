// SPDX-License-Identifier: Apache-2.0
#include "egress/describe.h"

#include <arpa/inet.h>

#include "egress/internet.h"

namespace stockade::egress {

std::string cidr_text(const ir::Cidr& c) {
  unsigned char bytes[16] = {};
  for (int w = 0; w < c.words_size() && w < 4; ++w)
    for (int b = 0; b < 4; ++b) bytes[4 * w + b] = static_cast<unsigned char>(c.words(w) >> (24 - 8 * b));
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(c.family() == 4 ? AF_INET : AF_INET6, bytes, text, sizeof text);
  std::string out = text;
  // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
  if (c.prefix() != (c.family() == 4 ? 32u : 128u)) out.append("/").append(std::to_string(c.prefix()));
  return out;
}

std::vector<std::string> describe_rules(const ir::NetworkSetting& n, const ir::PolicyIr& policy) {
  std::vector<std::string> out;
  for (const ir::EgressRule& r : n.rules()) {
    std::string line = r.action() == ir::EGRESS_ALLOW ? "allow " : "deny ";
    line += r.proto() == ir::EGRESS_TCP ? "TCP" : r.proto() == ir::EGRESS_UDP ? "UDP" : "TCP and UDP";
    line += " to ";
    switch (r.target()) {
      case ir::TARGET_ANY: line += "any address"; break;
      case ir::TARGET_CIDR: line += cidr_text(r.cidr()); break;
      case ir::TARGET_INTERNET: line += "the internet (every address but the worker's networks, below)"; break;
      case ir::TARGET_PARAM:
        line += "each address of ${" +
                (static_cast<int>(r.param()) < policy.params_size() ? policy.params(static_cast<int>(r.param())).name()
                                                                    : "?") +
                "}";
        break;
      case ir::EgressTarget_INT_MIN_SENTINEL_DO_NOT_USE_:
      case ir::EgressTarget_INT_MAX_SENTINEL_DO_NOT_USE_: break;
    }
    if (r.has_ports())
      line += r.port_lo() == r.port_hi() ? ", port " + std::to_string(r.port_lo())
                                         : ", ports " + std::to_string(r.port_lo()) + "-" + std::to_string(r.port_hi());
    else if (r.target() == ir::TARGET_PARAM) line += ", at the value's port if it has one";
    out.push_back(line);
  }
  out.push_back("deny everything else (no rule matched); only TCP and UDP sockets can be made");
  bool internet = false;
  for (const ir::EgressRule& r : n.rules()) internet = internet || r.target() == ir::TARGET_INTERNET;
  if (internet) {
    std::string list = "the internet leaves out";
    for (const Excluded& x : kNotInternet) list.append(" ").append(x.cidr);
    out.push_back(list);
  }
  return out;
}

}  // namespace stockade::egress
