// SPDX-License-Identifier: Apache-2.0
// What every stockadec command shares: the options common to the policy
// commands, the exit codes, and one compile of the given files.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "policy_ir.pb.h"

namespace CLI {
class App;
}

namespace stockade::cli {

// stockadec's exit codes (stockadec(1), README's table).
constexpr int kExitOk = 0;
constexpr int kExitInputError = 1;  // the input has errors (diagnostics on stderr)
constexpr int kExitUsage = 2;       // bad command line, unreadable input, unwritable output

// -q / -v, for every command.
enum class Verbosity { Quiet, Normal, Verbose };

struct Global {
  Verbosity verbosity = Verbosity::Normal;
  int quiet = 0;    // -q given (counted by CLI11)
  int verbose = 0;  // -v given
};

// The options of the commands that read policy files.
struct PolicyInput {
  std::vector<std::string> files;
  std::vector<std::string> include_dirs;  // -I, searched in order, before the default
  std::string root;                       // --root: diagnostics' file names relative to it
};

// Registers -I and --root on a command.
void add_policy_input_options(CLI::App& cmd, PolicyInput& in);

// The installed policy directory, searched after every -I: share/stockade/policies
// of the installation this stockadec runs from (empty if there is none).
std::string default_include_dir();

// Everything one compile produced, with its diagnostics.
struct Compilation {
  diag::SourceMap sources;
  diag::Sink sink;
  ir::PolicySet set;
};

// Front end, then seccomp for every policy; diagnostics to stderr (warnings
// dropped under -q). Returns kExitOk, kExitInputError or kExitUsage (an input
// that cannot be read).
int compile_all(const Global& g, const PolicyInput& in, Compilation& c);

// Writes `text` to `path` only if it differs, so unchanged tables keep their
// timestamps and the launcher is not rebuilt for nothing.
bool write_if_changed(const std::string& path, const std::string& text);

// stderr under -v.
void verbose(const Global& g, const std::string& line);

// Each command adds itself to the app (its options bound to state the
// returned action owns) and returns what runs when it is the one given.
using Action = std::function<int()>;
Action add_check(CLI::App& app, const Global& g);
Action add_compile(CLI::App& app, const Global& g);
Action add_explain(CLI::App& app, const Global& g);
Action add_ir(CLI::App& app, const Global& g);
Action add_bpf(CLI::App& app, const Global& g);
Action add_import_nsjail(CLI::App& app, const Global& g);
Action add_learn(CLI::App& app, const Global& g);
Action add_pack_tables(CLI::App& app, const Global& g);

// `stockadec ...`: parses argv, runs the command, returns the exit code.
int run(int argc, char** argv);

}  // namespace stockade::cli
