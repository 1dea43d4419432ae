// SPDX-License-Identifier: Apache-2.0
// stockadec explain / ir FILE [NAME]: one policy, or every policy of the
// file, in words or as the lowered IR.
#include <google/protobuf/text_format.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/common.h"
#include "cli/print.h"
#include "explain/explain.h"

namespace stockade::cli {

Action add_policy_printer(CLI::App& app, const Global& g, const std::string& name, const std::string& what,
                          std::function<void(const ir::PolicyIr&)> print, std::function<void(CLI::App&)> more) {
  auto o = std::make_shared<PrintOptions>();
  CLI::App* cmd = app.add_subcommand(name, what);
  cmd->add_option("FILE", o->file, "policy file")->required();
  cmd->add_option("NAME", o->name, "only this policy (default: every policy the compile emits)");
  add_policy_input_options(*cmd, o->in);
  if (more) more(*cmd);
  return [&g, o, print] {
    o->in.files = {o->file};
    Compilation c;
    if (int rc = compile_all(g, o->in, c); rc != kExitOk) return rc;
    bool first = true, found = false;
    for (const ir::PolicyIr& p : c.set.policies()) {
      if (!o->name.empty() && p.name() != o->name) continue;
      found = true;
      if (!first) std::cout << "\n";
      first = false;
      print(p);
    }
    if (!o->name.empty() && !found) {
      std::cerr << "stockadec: no policy named '" << o->name << "' in " << o->file << "\n";
      return kExitInputError;
    }
    return kExitOk;
  };
}

Action add_explain(CLI::App& app, const Global& g) {
  return add_policy_printer(
      app, g, "explain", "print policies in words", [](const ir::PolicyIr& p) { std::cout << explain::explain(p); },
      nullptr);
}

Action add_ir(CLI::App& app, const Global& g) {
  return add_policy_printer(
      app, g, "ir", "print the lowered IR (protobuf text)",
      [](const ir::PolicyIr& p) {
        std::string text;
        google::protobuf::TextFormat::PrintToString(p, &text);
        std::cout << text;
      },
      nullptr);
}

}  // namespace stockade::cli
