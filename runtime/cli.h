// SPDX-License-Identifier: Apache-2.0
// The command line: `stockade list | show NAME [--param K=V]... | run NAME [options] -- PROGRAM
// ARGS... | help [COMMAND] | COMMAND --help | --version` (help.h holds the texts). Parsing only; nothing here touches
// the system.
#pragma once

#include <stdint.h>

#include "capacity.h"
#include "fail.h"

namespace stockade {

// --stats-interval: milliseconds between two live-stats lines.
constexpr uint32_t kStatsIntervalMinMs = 10;
constexpr uint32_t kStatsIntervalMaxMs = 60000;
constexpr uint32_t kStatsIntervalDefaultMs = 500;

// --logged-max: at most this many distinct entries in the report's "logged".
constexpr uint32_t kLoggedMaxLimit = 4096;

enum class Command { Help, Version, List, Show, Run };

// Where a ParamArg came from. --param-file arguments are read into one
// FileLine argument per line (param_file.h) before validation.
enum class ParamSource : uint8_t { Option, FileOption, FileLine };

struct ParamArg {
  const char* text;  // "NAME=VALUE" (FileOption: "NAME=FILE")
  ParamSource source = ParamSource::Option;
};

struct Cli {
  Command command = Command::Help;
  const char* policy = nullptr;    // Show, Run
  const char* help_topic = "";     // Help: "" (the overview), "run", "show", "list", "help" (help.h)
  ParamArg params[kMaxParamArgs];  // --param and --param-file, in order
  size_t param_count = 0;
  const char* report_path = nullptr;                     // --report FILE
  int report_fd = -1;                                    // --report-fd N
  const char* cgroup_parent = nullptr;                   // --cgroup DIR: a delegated cgroup v2 directory
  int stats_fd = -1;                                     // --stats-fd N: live stats (stats.h)
  uint32_t stats_interval_ms = kStatsIntervalDefaultMs;  // --stats-interval MS
  bool learn = false;             // --learn: report every call the filter allows (seccomp/listener.h)
  uint32_t logged_max = 0;        // --logged-max N: distinct entries of the report's "logged" (0: the default)
  char** program_argv = nullptr;  // after `--`, NULL-terminated (argv's own terminator)
};

// False with `f` filled on a usage error (exit 120; the step's, fail.h:
// too many --param values is 121). For `run`, `out` then still holds the
// policy, the params parsed so far and the report destination wherever it
// was given before `--`, so the error gets a report.
bool parse_cli(int argc, char** argv, Cli& out, Failure& f);

}  // namespace stockade
