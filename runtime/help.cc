#include "help.h"

namespace stockade {
namespace {

constexpr char kExitCodes[] =
    "exit codes: the job's own; 128+N if it died of signal N; 120 usage; 121 bad parameter;\n"
    "  122 set-up failed; 123 memory limit; 124 time limit; 125 internal; 126 not executable; 127 not found\n";

constexpr char kOverview[] =
    "usage: stockade run NAME [OPTIONS] -- PROGRAM [ARGS...]   run PROGRAM in the sandbox of policy NAME\n"
    "       stockade show NAME [--param K=V]...                the policy in words, or resolved for those params\n"
    "       stockade list                                      names of the embedded policies\n"
    "       stockade help [COMMAND] | COMMAND --help | --version\n";

constexpr char kRun[] =
    "usage: stockade run NAME [OPTIONS] -- PROGRAM [ARGS...]\n"
    "Runs PROGRAM in a fresh sandbox built from the embedded policy NAME.\n"
    "options (each also as --option=VALUE):\n"
    "  --param K=V          a value for the policy's param K (repeatable; a list param takes one per use)\n"
    "  --param-file K=FILE  each line of FILE is one value of the list param K\n"
    "  --report FILE        write the JSON report of how the job ended to FILE\n"
    "  --report-fd N        the same, to the open file descriptor N\n"
    "  --cgroup DIR         make the job's cgroup below DIR, a cgroup v2 directory delegated to the caller\n"
    "  --stats-fd N         one JSON line of the job's memory and CPU every --stats-interval ms\n"
    "  --stats-interval MS  10..60000, default 500 (needs --stats-fd)\n"
    "  --                   ends the options; PROGRAM and its ARGS follow\n";

constexpr char kShow[] =
    "usage: stockade show NAME [--param K=V]... [--param-file K=FILE]...\n"
    "Without params: the policy NAME in words (what `stockadec explain` prints).\n"
    "With params: the policy resolved for those values, as `run` would apply it: every\n"
    "mount with its real source, the limits and the environment. Nothing is created or run.\n"
    "exit codes: 0; 120 usage; 121 bad parameter\n";

constexpr char kList[] =
    "usage: stockade list\n"
    "Prints the names of the policies embedded in this launcher, one a line.\n";

constexpr char kHelp[] =
    "usage: stockade help [COMMAND]\n"
    "Prints the help of COMMAND (run, show, list), or the overview.\n";

struct Topic {
  std::string_view name;
  std::string_view text;
};

}  // namespace

std::string_view help_text(std::string_view topic) {
  const Topic topics[] = {{"", kOverview}, {"run", kRun}, {"show", kShow}, {"list", kList}, {"help", kHelp}};
  for (const Topic& t : topics)
    if (t.name == topic) return t.text;
  return {};
}

std::string_view help_exit_codes() { return kExitCodes; }

}  // namespace stockade
