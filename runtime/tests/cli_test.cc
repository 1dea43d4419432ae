// Command-line parsing: the commands, the run options, and the exact
// usage-error lines (exit 120).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli.h"
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
  CHECK(parse({"show"}).error == "stockade: usage: show: needs exactly one policy name\n");
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
