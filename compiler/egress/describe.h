// SPDX-License-Identifier: Apache-2.0
// The rules of a `network filtered` setting in words, one line each, for
// `stockadec explain` and `stockade show`.
#pragma once

#include <string>
#include <vector>

#include "policy_ir.pb.h"

namespace stockade::egress {

std::string cidr_text(const ir::Cidr& c);
std::vector<std::string> describe_rules(const ir::NetworkSetting& n, const ir::PolicyIr& policy);

}  // namespace stockade::egress
