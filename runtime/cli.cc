// SPDX-License-Identifier: Apache-2.0
#include "cli.h"

#include <string_view>

#include "help.h"

namespace stockade {

namespace {

// Decimal digits only, at most `max`.
bool parse_number(const char* s, long max, long& out) {
  if (s == nullptr || *s == '\0') return false;
  long v = 0;
  for (const char* p = s; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return false;
    v = v * 10 + (*p - '0');
    if (v > max) return false;
  }
  out = v;
  return true;
}

bool parse_fd(const char* s, int& out) {
  long v = 0;
  if (!parse_number(s, 1 << 20, v)) return false;
  out = static_cast<int>(v);
  return true;
}

// The options that take a value, as `--opt VALUE` or `--opt=VALUE`.
constexpr std::string_view kValueOptions[] = {"--param",  "--param-file", "--report",         "--report-fd",
                                              "--cgroup", "--stats-fd",   "--stats-interval", "--logged-max"};

// Splits `--opt=VALUE`; true if `a` is one of kValueOptions (with or
// without its `=VALUE`).
bool value_option(std::string_view a, std::string_view* name, const char** inline_value) {
  for (std::string_view o : kValueOptions) {
    if (a == o) {
      *name = o;
      *inline_value = nullptr;
      return true;
    }
    if (a.size() > o.size() && a.substr(0, o.size()) == o && a[o.size()] == '=') {
      *name = o;
      *inline_value = a.data() + o.size() + 1;
      return true;
    }
  }
  return false;
}

bool set_option(std::string_view a, const char* v, Cli& out, bool* interval_given, Failure& f) {
  if (a == "--param" || a == "--param-file") {
    if (out.param_count == kMaxParamArgs)
      return fail_reason(f, Step::Param, "option", a, "more than 2048 values in all");
    out.params[out.param_count++] = {v, a == "--param" ? ParamSource::Option : ParamSource::FileOption};
  } else if (a == "--report") {
    if (v[0] == '\0') return fail_reason(f, Step::Usage, "option --report", "", "needs a file name");
    out.report_path = v;
  } else if (a == "--cgroup") {
    if (v[0] != '/') return fail_reason(f, Step::Usage, "option --cgroup", v, "not an absolute path");
    out.cgroup_parent = v;
  } else if (a == "--stats-fd") {
    if (!parse_fd(v, out.stats_fd))
      return fail_reason(f, Step::Usage, "option --stats-fd", v, "not a file descriptor number");
  } else if (a == "--stats-interval") {
    long ms = 0;
    if (!parse_number(v, kStatsIntervalMaxMs, ms) || ms < kStatsIntervalMinMs)
      return fail_reason(f, Step::Usage, "option --stats-interval", v, "not a number of milliseconds in 10..60000");
    out.stats_interval_ms = static_cast<uint32_t>(ms);
    *interval_given = true;
  } else if (a == "--logged-max") {
    long n = 0;
    if (!parse_number(v, kLoggedMaxLimit, n) || n < 1)
      return fail_reason(f, Step::Usage, "option --logged-max", v, "not a number in 1..4096");
    out.logged_max = static_cast<uint32_t>(n);
  } else if (!parse_fd(v, out.report_fd)) {
    return fail_reason(f, Step::Usage, "option --report-fd", v, "not a file descriptor number");
  }
  return true;
}

// `run` and `show` share the option loop; `show` takes the param options
// only and ends at the last argument instead of at `--`. --help / -h
// anywhere before `--` asks for the command's help (help.h).
bool parse_run(int argc, char** argv, int i, Cli& out, Failure& f, bool show = false) {
  const char* cmd = show ? "show" : "run";
  if (i < argc && is_help_flag(argv[i])) return (out.command = Command::Help, out.help_topic = cmd, true);
  if (i >= argc || argv[i][0] == '-')
    return fail_reason(f, Step::Usage, cmd, "", "needs a policy name (stockade list)");
  out.policy = argv[i++];
  bool interval_given = false;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (is_help_flag(a)) return (out.command = Command::Help, out.help_topic = cmd, true);
    if (show && a.substr(0, 7) != "--param")
      return fail_reason(f, Step::Usage, "show: option", a, "not taken by show (stockade show --help)");
    if (a == "--") {
      if (i + 1 >= argc) return fail_reason(f, Step::Usage, "run", out.policy, "no program after --");
      if (interval_given && out.stats_fd < 0)
        return fail_reason(f, Step::Usage, "option --stats-interval", "", "needs --stats-fd");
      out.program_argv = argv + i + 1;
      return true;
    }
    if (a == "--learn") {
      out.learn = true;
      continue;
    }
    std::string_view name;
    const char* v = nullptr;
    if (value_option(a, &name, &v)) {
      if (v == nullptr) {
        if (i + 1 >= argc) return fail_reason(f, Step::Usage, "option", a, "needs a value");
        v = argv[++i];
      }
      if (!set_option(name, v, out, &interval_given, f)) return false;
      continue;
    }
    // Not an option at all: the program, without the `--` before it.
    if (a.empty() || a[0] != '-')
      return fail_reason(f, Step::Usage, "program", a,
                         "needs -- before it (stockade run NAME [options] -- PROGRAM [ARGS...])");
    return fail_reason(f, Step::Usage, "option", a, "unknown (stockade --help)");
  }
  if (show) return true;
  return fail_reason(f, Step::Usage, "run", out.policy, "missing -- before the program");
}

// After a usage error: the report's destination, wherever it was given
// before the `--`, so the worker still gets a report saying why.
void find_report_destination(int argc, char** argv, Cli& out) {
  for (int i = 3; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") return;
    std::string_view name;
    const char* v = nullptr;
    if (!value_option(a, &name, &v)) continue;
    if (v == nullptr) {
      if (i + 1 >= argc) return;
      v = argv[++i];
    }
    if (name == "--report" && out.report_path == nullptr && v[0] != '\0') out.report_path = v;
    if (name == "--report-fd" && out.report_fd < 0 && !parse_fd(v, out.report_fd)) out.report_fd = -1;
  }
}

}  // namespace

bool parse_cli(int argc, char** argv, Cli& out, Failure& f) {
  if (argc < 2) return fail_reason(f, Step::Usage, "command", "", "missing (stockade --help)");
  std::string_view cmd = argv[1];
  if (is_help_flag(cmd) || cmd == "help") {
    out.command = Command::Help;
    if (cmd == "help" && argc == 3) {
      out.help_topic = argv[2];
      if (help_text(argv[2]).empty())
        return fail_reason(f, Step::Usage, "help", argv[2], "no such command (stockade --help)");
      return true;
    }
  } else if (cmd == "--version") {
    out.command = Command::Version;
  } else if (cmd == "list") {
    out.command = Command::List;
    if (argc == 3 && is_help_flag(argv[2])) return (out.command = Command::Help, out.help_topic = "list", true);
  } else if (cmd == "show") {
    out.command = Command::Show;
    return parse_run(argc, argv, 2, out, f, true);
  } else if (cmd == "run") {
    out.command = Command::Run;
    if (parse_run(argc, argv, 2, out, f)) return true;
    find_report_destination(argc, argv, out);
    return false;
  } else {
    return fail_reason(f, Step::Usage, "command", cmd, "unknown (stockade --help)");
  }
  if (argc != 2) return fail_reason(f, Step::Usage, cmd, argv[2], "takes no arguments");
  return true;
}

}  // namespace stockade
