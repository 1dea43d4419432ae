// SPDX-License-Identifier: Apache-2.0
// The compiled policy in words, for `stockadec explain` and `stockade show`:
// the rules in the order they are tried, the default, and what happens to
// foreign-ABI syscalls.
#pragma once

#include <string>

#include "rules.h"

namespace stockade::seccomp {

std::string explain(const RuleSet& set, Abi native);
std::string cond_text(const Cond& c);

}  // namespace stockade::seccomp
