// SPDX-License-Identifier: Apache-2.0
// Reads the body of `network filtered { ... }` (captured raw by the lexer)
// into IR rules and expects, reporting file:line:col errors. The format
// (docs/language.md, "network filtered"):
//   allow|deny [tcp|udp] any|internet|ENDPOINT|${PARAM} [port P|P-Q]
//   expect connect [tcp|udp] ADDR:PORT -> allow|deny
// ENDPOINT is runtime/egress/endpoint.h's format, read by that same code.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "policy_ir.pb.h"

namespace stockade::egress {

// Resolves a ${NAME} in a rule to its param index, or reports why not
// (unknown, not an endpoint) at `at` and returns nullopt.
using ParamResolver = std::function<std::optional<uint32_t>(const std::string& name, const diag::Location& at)>;

struct Parsed {
  std::vector<ir::EgressRule> rules;
  std::vector<ir::EgressExpect> expects;
};

Parsed parse_rules(const frontend::ast::FilterBlock& block, const ParamResolver& params, diag::Sink& sink);

}  // namespace stockade::egress
