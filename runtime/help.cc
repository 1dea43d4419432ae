// SPDX-License-Identifier: Apache-2.0
#include "help.h"

namespace stockade {
namespace {

constexpr char kExitCodes[] =
    "exit codes: the job's own; 128+N if it died of signal N; 120 usage; 121 bad parameter;\n"
    "  122 set-up failed; 123 memory limit; 124 time limit; 125 internal; 126 not executable; 127 not found\n";

constexpr char kOverview[] =
    "usage: stockade run NAME [OPTIONS] -- PROGRAM [ARGS...]\n"
    "       stockade show NAME [--param K=V]...\n"
    "       stockade list\n"
    "       stockade help [COMMAND] | COMMAND --help | --version\n";

constexpr char kRun[] =
    "usage: stockade run NAME [OPTIONS] -- PROGRAM [ARGS...]\n"
    "options (also --option=VALUE):\n"
    "  --param K=V          a value of param K (a list param: once per value)\n"
    "  --param-file K=FILE  each line of FILE is a value of the list param K\n"
    "  --report FILE        the JSON report of how the job ended\n"
    "  --report-fd N        the same, to fd N\n"
    "  --cgroup DIR         the job's cgroup below DIR, a delegated cgroup v2 directory\n"
    "  --stats-fd N         a JSON line of memory and CPU every --stats-interval ms\n"
    "  --stats-interval MS  10..60000, default 500\n"
    "  --learn              report every syscall the filter lets through (stockadec learn)\n"
    "  --logged-max N       distinct syscalls the report lists, 1..4096 (16; --learn: 4096)\n";

constexpr char kShow[] =
    "usage: stockade show NAME [--param K=V]... [--param-file K=FILE]...\n"
    "The policy in words; with params, resolved for them as run would apply it\n"
    "(mounts with their sources, limits, env). Nothing is run.\n";

constexpr char kList[] = "usage: stockade list\nThe embedded policies' names.\n";

constexpr char kHelp[] = "usage: stockade help [COMMAND]\n";

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
