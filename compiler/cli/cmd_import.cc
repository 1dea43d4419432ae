// SPDX-License-Identifier: Apache-2.0
// stockadec import-nsjail CONFIG [--name NAME] [-o FILE]: an nsjail config
// translated into a .policy.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/common.h"
#include "nsjail/import.h"

namespace stockade::cli {

namespace {

struct ImportOptions {
  std::string config;
  std::string name;
  std::string out;
};

int import(const Global& g, const ImportOptions& o) {
  std::ifstream in(o.config, std::ios::binary);
  if (!in) {
    std::cerr << "stockadec import-nsjail: cannot read " << o.config << "\n";
    return kExitUsage;
  }
  std::stringstream text;
  text << in.rdbuf();
  diag::SourceMap sources;
  sources.add(o.config, text.str());
  diag::Sink sink;
  nsjail::ImportOptions opts;
  opts.name = o.name;
  std::string policy;
  bool ok = nsjail::import_config(o.config, text.str(), opts, sink, policy);
  std::cerr << diag::render_all(sink, sources);
  if (!ok || sink.has_errors()) return kExitInputError;
  if (o.out.empty()) {
    std::cout << policy;
  } else if (!write_if_changed(o.out, policy)) {
    std::cerr << "stockadec import-nsjail: cannot write " << o.out << "\n";
    return kExitUsage;
  } else {
    verbose(g, "wrote " + o.out);
  }
  return kExitOk;
}

}  // namespace

Action add_import_nsjail(CLI::App& app, const Global& g) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import-nsjail", "translate an nsjail config into a .policy");
  cmd->add_option("CONFIG", o->config, "the nsjail config (protobuf text)")->required();
  cmd->add_option("--name", o->name, "the policy's name (default: from the file name)")->type_name("NAME");
  cmd->add_option("-o,--output", o->out, "write the policy here (default: stdout)")->type_name("FILE");
  return [&g, o] { return import(g, *o); };
}

}  // namespace stockade::cli
