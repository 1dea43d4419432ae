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

// `run` and `show` share the option loop; `show` takes the param options
// only and ends at the last argument instead of at `--`.
bool parse_run(int argc, char** argv, int i, Cli& out, Failure& f, bool show = false) {
  const char* cmd = show ? "show" : "run";
  if (i < argc && is_help_flag(argv[i])) return (out.command = Command::Help, out.help_topic = cmd, true);
  if (i >= argc || argv[i][0] == '-') return fail_reason(f, "usage", cmd, "", "needs a policy name (stockade list)");
  out.policy = argv[i++];
  bool interval_given = false;
  for (; i < argc; ++i) {
    std::string_view a = argv[i];
    // --option=VALUE is --option VALUE.
    const char* inline_value = nullptr;
    if (size_t eq = a.find('='); a.substr(0, 2) == "--" && eq != std::string_view::npos) {
      inline_value = argv[i] + eq + 1;
      a = a.substr(0, eq);
    }
    if (is_help_flag(a)) return (out.command = Command::Help, out.help_topic = cmd, true);
    if (show && a != "--param" && a != "--param-file")
      return fail_reason(f, "usage", "show: option", a, "not taken by show (stockade show --help)");
    if (a == "--") {
      if (i + 1 >= argc) return fail_reason(f, "usage", "run", out.policy, "no program after --");
      if (interval_given && out.stats_fd < 0)
        return fail_reason(f, "usage", "option --stats-interval", "", "needs --stats-fd");
      out.program_argv = argv + i + 1;
      return true;
    }
    if (a == "--param" || a == "--param-file" || a == "--report" || a == "--report-fd" || a == "--cgroup" ||
        a == "--stats-fd" || a == "--stats-interval") {
      if (inline_value == nullptr && i + 1 >= argc) return fail_reason(f, "usage", "option", a, "needs a value");
      const char* v = inline_value != nullptr ? inline_value : argv[++i];
      if (a == "--param" || a == "--param-file") {
        if (out.param_count == kMaxParamArgs) return fail_reason(f, "usage", "option", a, "given too many times");
        out.params[out.param_count++] = {v, a == "--param" ? ParamSource::Option : ParamSource::FileOption};
      } else if (a == "--report") {
        out.report_path = v;
      } else if (a == "--cgroup") {
        if (v[0] != '/') return fail_reason(f, "usage", "option --cgroup", v, "not an absolute path");
        out.cgroup_parent = v;
      } else if (a == "--stats-fd") {
        if (!parse_fd(v, out.stats_fd)) return fail_reason(f, "usage", "option --stats-fd", v, "not a file descriptor number");
      } else if (a == "--stats-interval") {
        long ms = 0;
        if (!parse_number(v, kStatsIntervalMaxMs, ms) || ms < kStatsIntervalMinMs)
          return fail_reason(f, "usage", "option --stats-interval", v, "not a number of milliseconds in 10..60000");
        out.stats_interval_ms = static_cast<uint32_t>(ms);
        interval_given = true;
      } else if (!parse_fd(v, out.report_fd)) {
        return fail_reason(f, "usage", "option --report-fd", v, "not a file descriptor number");
      }
      continue;
    }
    return fail_reason(f, "usage", "option", a, "unknown (stockade --help)");
  }
  if (show) return true;
  return fail_reason(f, "usage", "run", out.policy, "missing -- before the program");
}

}  // namespace

bool parse_cli(int argc, char** argv, Cli& out, Failure& f) {
  if (argc < 2) return fail_reason(f, "usage", "command", "", "missing (stockade --help)");
  std::string_view cmd = argv[1];
  if (is_help_flag(cmd) || cmd == "help") {
    out.command = Command::Help;
    if (cmd == "help" && argc == 3) {
      out.help_topic = argv[2];
      if (help_text(argv[2]).empty()) return fail_reason(f, "usage", "help", argv[2], "no such command (stockade --help)");
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
    return parse_run(argc, argv, 2, out, f);
  } else {
    return fail_reason(f, "usage", "command", cmd, "unknown (stockade --help)");
  }
  if (argc != 2) return fail_reason(f, "usage", cmd, argv[2], "takes no arguments");
  return true;
}

}  // namespace stockade
