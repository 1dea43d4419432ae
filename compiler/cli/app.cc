// SPDX-License-Identifier: Apache-2.0
// stockadec's command line on CLI11: one subcommand per job, each with its
// own options (an option a command does not take is an error), its own
// --help, `--opt=value` and `--opt value` alike. Parse errors exit 2.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <map>

#include "cli/common.h"
#include "seccomp/export_bpf.h"

#ifndef STOCKADE_VERSION
#define STOCKADE_VERSION "unknown"
#endif

namespace stockade::cli {

namespace {

constexpr const char* kFooter =
    "exit status: 0 success, 1 the input has errors, 2 usage or I/O error\n"
    "`stockadec COMMAND --help` for one command; stockadec(1) for the whole story.";

// The command the failed parse was in, for the hint after the message.
std::string failed_command(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands())
    if (sub->parsed()) return "stockadec " + sub->get_name();
  return "stockadec";
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"stockadec: compiles sandbox policies into the tables of a static launcher", "stockadec"};
  app.footer(kFooter);
  app.set_version_flag("--version", "stockadec " STOCKADE_VERSION);
  app.require_subcommand(1, 1);
  Global g;
  app.add_flag("-q,--quiet", g.quiet, "print errors only (no warnings, no summary)");
  app.add_flag("-v,--verbose", g.verbose, "say what is read and written, on stderr");
  std::map<std::string, Action> actions;
  actions["check"] = add_check(app, g);
  actions["compile"] = add_compile(app, g);
  actions["explain"] = add_explain(app, g);
  actions["ir"] = add_ir(app, g);
  actions["bpf"] = add_bpf(app, g);
  actions["import-nsjail"] = add_import_nsjail(app, g);
  actions["learn"] = add_learn(app, g);
  actions["pack-tables"] = add_pack_tables(app, g);
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->fallthrough();  // -q / -v after the command name too
    sub->footer(kFooter);
  }
  // `bpf ... -o OUT` (raw sock_filter bytes) has its own argument rules
  // (compiler/seccomp/export_bpf.h); `bpf --disasm` is the command below.
  std::vector<std::string> words(argv + 1, argv + argc);
  bool help = std::find_if(words.begin(), words.end(),
                           [](const std::string& w) { return w == "--help" || w == "-h"; }) != words.end();
  if (!help && !words.empty() && words[0] == "bpf" && seccomp::is_bpf_export({words.begin() + 1, words.end()})) {
    return seccomp::export_bpf_command({words.begin() + 1, words.end()},
                                       [&](const std::vector<std::string>& files, ir::PolicySet& out) {
                                         PolicyInput in;
                                         in.files = files;
                                         Compilation c;
                                         bool ok = compile_all(g, in, c) == kExitOk;
                                         out = c.set;
                                         return ok;
                                       });
  }
  // Before the command only -q, -v, --help and --version: the first other
  // word must name a command (CLI11 would call it a stray argument).
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.empty() || word[0] == '-') continue;
    if (actions.count(word) == 0) {
      std::cerr << "stockadec: unknown command '" << word << "' (stockadec --help)\n";
      return kExitUsage;
    }
    break;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << failed_command(app) << ": " << e.what() << " (" << failed_command(app) << " --help)\n";
    return kExitUsage;
  }
  if (g.quiet > 0 && g.verbose > 0) {
    std::cerr << failed_command(app) << ": -q and -v exclude each other\n";
    return kExitUsage;
  }
  g.verbosity = g.quiet > 0 ? Verbosity::Quiet : g.verbose > 0 ? Verbosity::Verbose : Verbosity::Normal;
  for (const CLI::App* sub : app.get_subcommands()) return actions.at(sub->get_name())();
  return kExitUsage;  // require_subcommand(1, 1): not reached
}

}  // namespace stockade::cli
