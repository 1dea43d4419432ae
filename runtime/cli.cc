#include "cli.h"

#include <string_view>

namespace stockade {

const char kUsage[] =
    "usage: stockade run NAME [--param K=V]... [--param-file K=FILE]... [--report FILE] [--report-fd N] [--cgroup DIR]\n"
    "                      [--stats-fd N [--stats-interval MS]] -- PROGRAM [ARGS...]\n"
    "       (--param-file K=FILE: each line of FILE is one value of the list param K; --opt=VALUE works too)\n"
    "       (--cgroup DIR: make the job's cgroup below DIR, a cgroup v2 directory delegated to the caller;\n"
    "        --stats-fd N: one JSON line of the job's memory and CPU every MS ms, default 500, 10..60000)\n"
    "       stockade list          names of the embedded policies\n"
    "       stockade show NAME     one policy in words\n"
    "       stockade --help | --version\n"
    "exit codes: the job's own; 128+N if it died of signal N; 120 usage; 121 bad parameter;\n"
    "  122 set-up failed; 123 memory limit; 124 time limit; 125 internal; 126 not executable; 127 not found\n";

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
constexpr std::string_view kValueOptions[] = {"--param",     "--param-file", "--report",        "--report-fd",
                                              "--cgroup",    "--stats-fd",   "--stats-interval"};

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
    if (out.param_count == kMaxParamArgs) return fail_reason(f, Step::Param, "option", a, "more than 2048 values in all");
    out.params[out.param_count++] = {v, a == "--param" ? ParamSource::Option : ParamSource::FileOption};
  } else if (a == "--report") {
    if (v[0] == '\0') return fail_reason(f, Step::Usage, "option --report", "", "needs a file name");
    out.report_path = v;
  } else if (a == "--cgroup") {
    if (v[0] != '/') return fail_reason(f, Step::Usage, "option --cgroup", v, "not an absolute path");
    out.cgroup_parent = v;
  } else if (a == "--stats-fd") {
    if (!parse_fd(v, out.stats_fd)) return fail_reason(f, Step::Usage, "option --stats-fd", v, "not a file descriptor number");
  } else if (a == "--stats-interval") {
    long ms = 0;
    if (!parse_number(v, kStatsIntervalMaxMs, ms) || ms < kStatsIntervalMinMs)
      return fail_reason(f, Step::Usage, "option --stats-interval", v, "not a number of milliseconds in 10..60000");
    out.stats_interval_ms = static_cast<uint32_t>(ms);
    *interval_given = true;
  } else if (!parse_fd(v, out.report_fd)) {
    return fail_reason(f, Step::Usage, "option --report-fd", v, "not a file descriptor number");
  }
  return true;
}

bool parse_run(int argc, char** argv, int i, Cli& out, Failure& f) {
  if (i >= argc || argv[i][0] == '-') return fail_reason(f, Step::Usage, "run", "", "needs a policy name (stockade list)");
  out.policy = argv[i++];
  bool interval_given = false;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      if (i + 1 >= argc) return fail_reason(f, Step::Usage, "run", out.policy, "no program after --");
      if (interval_given && out.stats_fd < 0)
        return fail_reason(f, Step::Usage, "option --stats-interval", "", "needs --stats-fd");
      out.program_argv = argv + i + 1;
      return true;
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
      return fail_reason(f, Step::Usage, "program", a, "needs -- before it (stockade run NAME [options] -- PROGRAM [ARGS...])");
    return fail_reason(f, Step::Usage, "option", a, "unknown (stockade --help)");
  }
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
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    out.command = Command::Help;
  } else if (cmd == "--version") {
    out.command = Command::Version;
  } else if (cmd == "list") {
    out.command = Command::List;
  } else if (cmd == "show") {
    out.command = Command::Show;
    if (argc != 3) return fail_reason(f, Step::Usage, "show", "", "needs exactly one policy name");
    out.policy = argv[2];
    return true;
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
