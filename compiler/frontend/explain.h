// The policy in plain words, for `stockadec explain` and the summary that
// `stockade show` prints. Deterministic: the same IR gives the same bytes.
#pragma once

#include <string>

#include "policy_ir.pb.h"

namespace stockade::frontend {

std::string explain(const ir::PolicyIr& policy);

}  // namespace stockade::frontend
