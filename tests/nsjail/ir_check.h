// SPDX-License-Identifier: Apache-2.0
// Compares a compiled policy (IR) with the nsjail config it was imported
// from, field by field, under one assignment of the bool and optional
// params. The expectations are computed from the nsjail message alone.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "parse_config.h"
#include "policy_ir.pb.h"

namespace stockade::nsjail::test {

struct Scenario {
  bool bools = true;          // every bool param without a say below
  bool optionals_set = true;  // every optional param
  std::map<std::string, bool> bool_overrides;
};

// One line per mismatch, naming the field; empty when all agree.
std::vector<std::string> compare(const ParsedConfig& cfg, const ir::PolicyIr& ir, const Scenario& s);

}  // namespace stockade::nsjail::test
