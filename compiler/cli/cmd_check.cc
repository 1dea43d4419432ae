// SPDX-License-Identifier: Apache-2.0
// stockadec check FILE...: parse, check and compile; diagnostics only.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/common.h"

namespace stockade::cli {

Action add_check(CLI::App& app, const Global& g) {
  auto in = std::make_shared<PolicyInput>();
  CLI::App* cmd = app.add_subcommand("check", "parse, check and compile the policies; print diagnostics only");
  cmd->add_option("FILE", in->files, "policy files")->required();
  add_policy_input_options(*cmd, *in);
  return [&g, in] {
    Compilation c;
    if (int rc = compile_all(g, *in, c); rc != kExitOk) return rc;
    if (g.verbosity != Verbosity::Quiet)
      std::cout << fmt::format("{} polic{} ok\n", c.set.policies_size(), c.set.policies_size() == 1 ? "y" : "ies");
    return kExitOk;
  };
}

}  // namespace stockade::cli
