// SPDX-License-Identifier: Apache-2.0
// stockadec pack-tables ELF -o FILE.cc: the launcher's tables, linked alone,
// as one packed image (compiler/emit/pack_tables.h). A build step of
// runtime/build_launcher.cmake, not a command for people: hidden from --help.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/common.h"
#include "emit/pack_tables.h"

namespace stockade::cli {

namespace {
struct PackOptions {
  std::string in;
  std::string out;
};
}  // namespace

Action add_pack_tables(CLI::App& app, const Global& g) {
  auto o = std::make_shared<PackOptions>();
  CLI::App* cmd = app.add_subcommand("pack-tables", "pack a launcher's linked tables into one image (a build step)");
  cmd->group("");  // hidden: build_launcher.cmake runs it
  cmd->add_option("ELF", o->in, "the tables linked alone (build_launcher.cmake)")->required();
  cmd->add_option("-o,--output", o->out, "the C++ file to write")->required();
  return [&g, o] {
    std::ifstream in(o->in, std::ios::binary);
    if (!in) {
      std::cerr << "stockadec pack-tables: cannot read " << o->in << "\n";
      return kExitUsage;
    }
    std::stringstream bytes;
    bytes << in.rdbuf();
    try {
      emit::PackedTables p = emit::pack_tables(bytes.str());
      if (!write_if_changed(o->out, p.cpp)) {
        std::cerr << "stockadec pack-tables: cannot write " << o->out << "\n";
        return kExitUsage;
      }
      verbose(g, fmt::format("{} bytes of tables, {} pointers: {} packed", p.image_size, p.pointers, p.packed.size()));
    } catch (const std::runtime_error& e) {
      std::cerr << "stockadec " << e.what() << " (" << o->in << ")\n";
      return kExitInputError;
    }
    return kExitOk;
  };
}

}  // namespace stockade::cli
