// SPDX-License-Identifier: Apache-2.0
// The policy in plain words, for `stockadec explain` and the summary that
// `stockade show` prints. Deterministic: the same IR gives the same bytes.
#pragma once

#include <string>

#include "policy_ir.pb.h"

namespace stockade::explain {

enum class ExplainSeccomp {
  Full,     // the rules and the policy's expect lines (stockadec explain)
  Omitted,  // nothing about seccomp: the launcher prints a shared text
};

std::string explain(const ir::PolicyIr& policy, ExplainSeccomp seccomp = ExplainSeccomp::Full);

}  // namespace stockade::explain
