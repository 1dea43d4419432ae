// Command-line parsing: the commands, the run options, and the exact
// usage-error lines (exit 120).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli.h"
#include "help.h"
#include "text.h"

using namespace stockade;

namespace {

struct Parsed {
  Cli cli;
  std::string error;  // "" on success
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "stockade");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  Parsed p;
  Failure f{};
  if (!parse_cli(static_cast<int>(args.size()), argv.data(), p.cli, f)) {
    Text<1024> line;
    format_failure(f, line);
    p.error = std::string(line.view());
  }
  // argv strings die with `args`: tests look only at counts and errors.
  return p;
}

}  // namespace

TEST_CASE("commands") {
  CHECK(parse({"list"}).cli.command == Command::List);
  CHECK(parse({"--help"}).cli.command == Command::Help);
  CHECK(parse({"--version"}).cli.command == Command::Version);
  CHECK(parse({"show", "python3"}).cli.command == Command::Show);
}

TEST_CASE("per-command help, before or among the options") {
  for (auto args : {std::vector<std::string>{"run", "--help"}, {"run", "p", "--param", "A=1", "-h"},
                    {"run", "p", "--help", "--", "x"}}) {
    Parsed p = parse(args);
    CHECK(p.error == "");
    CHECK(p.cli.command == Command::Help);
    CHECK(std::string_view(p.cli.help_topic) == "run");
  }
  CHECK(std::string_view(parse({"show", "p", "--help"}).cli.help_topic) == "show");
  CHECK(std::string_view(parse({"show", "--help"}).cli.help_topic) == "show");
  CHECK(std::string_view(parse({"list", "--help"}).cli.help_topic) == "list");
  CHECK(parse({"help", "run"}).cli.command == Command::Help);
  CHECK(std::string_view(parse({"--help"}).cli.help_topic) == "");
  for (const char* topic : {"", "run", "show", "list", "help"}) CHECK(!help_text(topic).empty());
  CHECK(help_text("nope").empty());
  // Every run option the parser takes is in run's help.
  for (const char* opt : {"--param ", "--param-file ", "--report ", "--report-fd ", "--cgroup ", "--stats-fd ",
                          "--stats-interval "})
    CHECK(help_text("run").find(opt) != std::string_view::npos);
}

TEST_CASE("--option=value is --option value, for every option") {
  Parsed p = parse({"run", "p", "--param=A=1", "--param-file=L=/f", "--report=/r.json", "--report-fd=7",
                    "--cgroup=/sys/fs/cgroup/x", "--stats-fd=5", "--stats-interval=20", "--", "a"});
  CHECK(p.error == "");
  CHECK(p.cli.param_count == 2);
  CHECK(p.cli.params[1].source == ParamSource::FileOption);
  CHECK(p.cli.report_fd == 7);
  CHECK(p.cli.stats_fd == 5);
  CHECK(p.cli.stats_interval_ms == 20);
  CHECK(parse({"run", "p", "--report-fd=x", "--", "a"}).error ==
        "stockade: usage: option --report-fd x: not a file descriptor number\n");
}

TEST_CASE("show takes params") {
  Parsed p = parse({"show", "p", "--param", "A=1", "--param=B=2", "--param-file", "L=/f"});
  CHECK(p.error == "");
  CHECK(p.cli.command == Command::Show);
  CHECK(p.cli.param_count == 3);
}

TEST_CASE("run options") {
  Parsed p = parse({"run", "python3", "--param", "A=1", "--param=B=2", "--report", "/r.json", "--report-fd", "7",
                    "--", "/usr/bin/python3", "-u"});
  CHECK(p.error == "");
  CHECK(p.cli.command == Command::Run);
  CHECK(p.cli.param_count == 2);
  CHECK(p.cli.report_fd == 7);
  CHECK(p.cli.program_argv != nullptr);
}

TEST_CASE("usage errors name what is wrong") {
  CHECK(parse({}).error == "stockade: usage: command: missing (stockade --help)\n");
  CHECK(parse({"frobnicate"}).error == "stockade: usage: command frobnicate: unknown (stockade --help)\n");
  CHECK(parse({"run"}).error == "stockade: usage: run: needs a policy name (stockade list)\n");
  CHECK(parse({"run", "p", "/bin/true"}).error == "stockade: usage: option /bin/true: unknown (stockade --help)\n");
  CHECK(parse({"run", "p"}).error == "stockade: usage: run p: missing -- before the program\n");
  CHECK(parse({"run", "p", "--"}).error == "stockade: usage: run p: no program after --\n");
  CHECK(parse({"run", "p", "--param"}).error == "stockade: usage: option --param: needs a value\n");
  CHECK(parse({"run", "p", "--report-fd", "x", "--", "a"}).error ==
        "stockade: usage: option --report-fd x: not a file descriptor number\n");
  CHECK(parse({"show"}).error == "stockade: usage: show: needs a policy name (stockade list)\n");
  CHECK(parse({"show", "p", "--report", "r"}).error ==
        "stockade: usage: show: option --report: not taken by show (stockade show --help)\n");
  CHECK(parse({"show", "p", "--", "a"}).error ==
        "stockade: usage: show: option --: not taken by show (stockade show --help)\n");
  CHECK(parse({"help", "nope"}).error == "stockade: usage: help nope: no such command (stockade --help)\n");
  CHECK(parse({"list", "extra"}).error == "stockade: usage: list extra: takes no arguments\n");
}

TEST_CASE("live stats options") {
  Parsed p = parse({"run", "p", "--stats-fd", "5", "--", "a"});
  CHECK(p.error == "");
  CHECK(p.cli.stats_fd == 5);
  CHECK(p.cli.stats_interval_ms == kStatsIntervalDefaultMs);
  p = parse({"run", "p", "--stats-interval", "10", "--stats-fd", "5", "--", "a"});
  CHECK(p.error == "");
  CHECK(p.cli.stats_interval_ms == 10);
  CHECK(parse({"run", "p", "--stats-fd", "5", "--stats-interval", "60000", "--", "a"}).cli.stats_interval_ms == 60000);
  CHECK(parse({"run", "p"}).cli.stats_fd == -1);
  CHECK(parse({"run", "p", "--stats-fd", "-1", "--", "a"}).error ==
        "stockade: usage: option --stats-fd -1: not a file descriptor number\n");
  CHECK(parse({"run", "p", "--stats-fd", "", "--", "a"}).error ==
        "stockade: usage: option --stats-fd: not a file descriptor number\n");
  for (const char* bad : {"9", "60001", "0", "5s", "", "99999999999999999999"}) {
    CAPTURE(bad);
    CHECK(parse({"run", "p", "--stats-fd", "5", "--stats-interval", bad, "--", "a"}).error ==
          "stockade: usage: option --stats-interval" + std::string(*bad ? " " : "") + bad +
              ": not a number of milliseconds in 10..60000\n");
  }
  CHECK(parse({"run", "p", "--stats-interval", "100", "--", "a"}).error ==
        "stockade: usage: option --stats-interval: needs --stats-fd\n");
}
