// SPDX-License-Identifier: Apache-2.0
// The commands that print policies (explain, ir, bpf) share one shape:
// FILE [NAME], the policy-input options, and a printer per policy.
#pragma once

#include <functional>
#include <string>

#include "cli/common.h"

namespace stockade::cli {

struct PrintOptions {
  PolicyInput in;
  std::string file;
  std::string name;
};

// Adds the command `name`; `more` adds options of its own.
Action add_policy_printer(CLI::App& app, const Global& g, const std::string& name, const std::string& what,
                          std::function<void(const ir::PolicyIr&)> print, std::function<void(CLI::App&)> more);

}  // namespace stockade::cli
