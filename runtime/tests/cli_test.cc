// SPDX-License-Identifier: Apache-2.0
// Command-line parsing: the commands, the run options, and the exact
// usage-error lines (exit 120); the failure table (fail.h: step -> exit
// code, (step, errno) -> hint); the report's JSON and its file (report.h).
#include <doctest/doctest.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "help.h"
#include "report.h"
#include "text.h"

using namespace stockade;

namespace {

struct Parsed {
  Cli cli;
  std::string error;  // "" on success
};

// The Cli points into argv: each parse's strings are kept for the test's life.
const Parsed& parse(std::vector<std::string> in) {
  static std::vector<std::unique_ptr<std::vector<std::string>>> kept;
  static std::vector<std::unique_ptr<Parsed>> results;
  kept.push_back(std::make_unique<std::vector<std::string>>(std::move(in)));
  std::vector<std::string>& args = *kept.back();
  args.insert(args.begin(), "stockade");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  results.push_back(std::make_unique<Parsed>());
  Parsed& p = *results.back();
  Failure f{};
  if (!parse_cli(static_cast<int>(args.size()), argv.data(), p.cli, f)) {
    Text<1024> line;
    format_failure(f, line);
    p.error = std::string(line.view());
  }
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
  for (auto args : {std::vector<std::string>{"run", "--help"},
                    {"run", "p", "--param", "A=1", "-h"},
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
  for (const char* opt :
       {"--param ", "--param-file ", "--report ", "--report-fd ", "--cgroup ", "--stats-fd ", "--stats-interval "})
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
  Parsed p = parse({"run", "python3", "--param", "A=1", "--param=B=2", "--report", "/r.json", "--report-fd", "7", "--",
                    "/usr/bin/python3", "-u"});
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
  CHECK(parse({"run", "p", "/bin/true"}).error ==
        "stockade: usage: program /bin/true: needs -- before it (stockade run NAME [options] -- PROGRAM [ARGS...])\n");
  CHECK(parse({"run", "p", "--report", "/r", "python3", "-c", "1"}).error ==
        "stockade: usage: program python3: needs -- before it (stockade run NAME [options] -- PROGRAM [ARGS...])\n");
  CHECK(parse({"run", "p", "--bogus", "--", "/bin/true"}).error ==
        "stockade: usage: option --bogus: unknown (stockade --help)\n");
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

TEST_CASE("--opt=VALUE works for every option that takes a value") {
  const Parsed& p = parse({"run", "p", "--param=A=1", "--param-file=L=/l", "--report=/r.json", "--report-fd=7",
                           "--cgroup=/sys/fs/cgroup/w", "--stats-fd=9", "--stats-interval=20", "--", "/bin/true"});
  CHECK(p.error == "");
  CHECK(p.cli.param_count == 2);
  CHECK(p.cli.params[1].source == ParamSource::FileOption);
  CHECK(std::string(p.cli.report_path) == "/r.json");
  CHECK(p.cli.report_fd == 7);
  CHECK(std::string(p.cli.cgroup_parent) == "/sys/fs/cgroup/w");
  CHECK(p.cli.stats_fd == 9);
  CHECK(p.cli.stats_interval_ms == 20);
  CHECK(parse({"run", "p", "--report=", "--", "/bin/true"}).error ==
        "stockade: usage: option --report: needs a file name\n");
  CHECK(parse({"run", "p", "--reportx=1", "--", "/bin/true"}).error ==
        "stockade: usage: option --reportx=1: unknown (stockade --help)\n");
}

TEST_CASE("a usage error still knows where the report goes") {
  // The report option after the mistake counts too: the worker gets a report.
  const Parsed& p = parse({"run", "p", "--bogus", "--report", "/r.json", "--report-fd=5", "--", "/bin/true"});
  CHECK(p.error != "");
  CHECK(std::string(p.cli.report_path) == "/r.json");
  CHECK(p.cli.report_fd == 5);
  CHECK(std::string(p.cli.policy) == "p");
  // Past `--` is the program's.
  const Parsed& q = parse({"run", "p", "--bogus", "--", "/bin/x", "--report", "/no"});
  CHECK(q.cli.report_path == nullptr);
}

TEST_CASE("too many --param values is a param error (121), not a usage error") {
  std::vector<std::string> args = {"run", "p"};
  for (size_t i = 0; i <= kMaxParamArgs; ++i) args.insert(args.end(), {"--param", "L=x"});
  args.insert(args.end(), {"--", "/bin/true"});
  std::vector<char*> argv;
  std::string zero = "stockade";
  argv.push_back(zero.data());
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  static Cli cli;  // ~50 KiB: off the stack
  cli = Cli{};
  Failure f{};
  CHECK_FALSE(parse_cli(static_cast<int>(argv.size() - 1), argv.data(), cli, f));
  CHECK(f.step == Step::Param);
  CHECK(exit_for(f) == Exit::BadParam);
  CHECK(std::string(reason_for(f)) == "bad-param");
}

TEST_CASE("every step has its exit code and reason from the one table") {
  struct Row {
    Step step;
    const char* name;
    Exit exit;
    const char* reason;
  };
  const Row rows[] = {
      {Step::Usage, "usage", Exit::Usage, "usage"},
      {Step::Param, "param", Exit::BadParam, "bad-param"},
      {Step::Env, "env", Exit::Usage, "usage"},
      {Step::Report, "report", Exit::Usage, "usage"},
      {Step::Plan, "plan", Exit::Internal, "internal"},
      {Step::Supervisor, "supervisor", Exit::Internal, "internal"},
      {Step::Cgroup, "cgroup", Exit::SetupFailed, "setup-failed"},
      {Step::CgroupJoin, "cgroup-join", Exit::SetupFailed, "setup-failed"},
      {Step::Mounts, "mounts", Exit::SetupFailed, "setup-failed"},
      {Step::Seccomp, "seccomp", Exit::SetupFailed, "setup-failed"},
      {Step::Execve, "execve", Exit::NotExecutable, "exec-failed"},
  };
  for (const Row& r : rows) {
    Failure f{};
    fail(f, r.step, "x", "y", EIO);
    CAPTURE(r.name);
    CHECK(std::string(step_name(r.step)) == r.name);
    CHECK(exit_for(f) == r.exit);
    CHECK(std::string(reason_for(f)) == r.reason);
  }
  // Every step has a distinct name.
  for (int a = 1; a < static_cast<int>(Step::Count); ++a)
    for (int b = a + 1; b < static_cast<int>(Step::Count); ++b)
      CHECK(step_name(static_cast<Step>(a)) != step_name(static_cast<Step>(b)));
}

TEST_CASE("execve's errno picks the exit code: 127 not found, 126 not executable, 120 too long") {
  Failure f{};
  fail(f, Step::Execve, "execve", "/nope", ENOENT);
  CHECK(exit_for(f) == Exit::NotFound);
  fail(f, Step::Execve, "execve", "/a/file/x", ENOTDIR);
  CHECK(exit_for(f) == Exit::NotFound);
  fail(f, Step::Execve, "execve", "/etc/passwd", EACCES);
  CHECK(exit_for(f) == Exit::NotExecutable);
  fail(f, Step::Execve, "execve", "/bin/true", E2BIG);
  CHECK(exit_for(f) == Exit::Usage);
  CHECK(std::string(reason_for(f)) == "usage");
}

TEST_CASE("hints: one per (step, errno), and none for another step or errno") {
  struct Case {
    Step step;
    int err;
    const char* starts;
  };
  const Case cases[] = {
      {Step::CgroupJoin, EACCES, "to start a job in a delegated cgroup (--cgroup)"},
      {Step::Namespaces, EPERM, "user namespaces disabled?"},
      {Step::Namespaces, ENOSPC, "user namespaces disabled?"},
      {Step::Namespaces, EACCES, "user namespaces disabled?"},
      {Step::Cgroup, EACCES, "the launcher needs write access to the cgroup hierarchy"},
      {Step::Cgroup, EROFS, "the launcher needs write access to the cgroup hierarchy"},
      {Step::Namespaces, ENOSYS, "a container's seccomp profile refuses clone3"},
      {Step::Proc, EPERM, "the host's /proc is masked"},
      {Step::Mounts, ELOOP, "a symlink below the policy's or the parameter's directory is never followed"},
      {Step::Seccomp, EACCES, "a seccomp filter needs no_new_privs or CAP_SYS_ADMIN"},
      {Step::Report, ELOOP, "the report's name is a symlink"},
      {Step::Execve, E2BIG, "the job's argv and environment exceed the kernel's limit"},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(step_name(c.step)));
    const char* h = hint_for(c.step, c.err);
    REQUIRE(h != nullptr);
    CHECK(std::string(h).rfind(c.starts, 0) == 0);
  }
  CHECK(hint_for(Step::Namespaces, ENOENT) == nullptr);
  CHECK(hint_for(Step::Mounts, EACCES) == nullptr);
  CHECK(hint_for(Step::Mounts, EPERM) == nullptr);  // only a procfs's EPERM means a masked /proc
  CHECK(hint_for(Step::Idmap, EINVAL) == nullptr);  // idmapping falls back, never fails on EINVAL
  CHECK(hint_for(Step::Cgroup, 0) == nullptr);
  // The hint rides on the line.
  Failure f{};
  fail(f, Step::CgroupJoin, "clone3", "CLONE_NEWUSER|CLONE_INTO_CGROUP", EACCES);
  Text<2048> line;
  format_failure(f, line);
  CHECK(std::string(line.view()) ==
        "stockade: cgroup-join: clone3 CLONE_NEWUSER|CLONE_INTO_CGROUP: Permission denied; hint: to start a job in a "
        "delegated cgroup (--cgroup) the launcher must already run inside that cgroup's subtree\n");
}

TEST_CASE("a failure knows whether it names a path or a param") {
  Failure f{};
  fail(f, Step::Mounts, "open_tree", "/jobs/1", ENOENT);
  CHECK(f.subject == Subject::Path);
  fail_param(f, "", "TIMEOUT=30x", "unknown unit");
  CHECK(f.subject == Subject::Param);
  CHECK(std::string(failure_param(f)) == "TIMEOUT");
  fail_param(f, "", "PY_DIR", "required but not given");
  CHECK(std::string(failure_param(f)) == "PY_DIR");
  fail(f, Step::Namespaces, "clone3", "CLONE_NEWUSER", EPERM);
  CHECK(f.subject == Subject::Other);
  CHECK(failure_param(f).empty());
}

namespace {

std::string read_all(const std::string& path) {
  std::string out;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "<missing>";
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/stockade-report-test-XXXXXX";
    path = mkdtemp(t);
  }
  ~TempDir() {
    std::string cmd = "rm -rf '" + path + "'";
    CHECK(system(cmd.c_str()) == 0);
  }
};

JobResult exited(int status) {
  JobResult r;
  r.status = status;
  r.reason = "exited";
  return r;
}

ReportContext context() {
  static const ParamArg args[] = {{"A=1"}, {"L=x"}, {"L=y\"q"}, {"F=/f", ParamSource::FileOption}};
  ReportContext c;
  c.policy = "probe";
  c.version = "9.9";
  c.args = args;
  c.arg_count = 4;
  return c;
}

}  // namespace

TEST_CASE("the report names the policy, the launcher and the params; a failure its step, message, param") {
  TempDir d;
  std::string path = d.path + "/r.json";
  ReportSink sink;
  sink.path = path.c_str();
  JobResult r;
  r.status = 121;
  r.reason = "bad-param";
  fail_param(r.failure, "", "L=y\"q", "not a path");
  Failure f{};
  REQUIRE(write_report(sink, context(), r, f));
  std::string json = read_all(path);
  CHECK(json ==
        "{\"status\": 121, \"reason\": \"bad-param\", \"signal\": null, \"wall_ms\": 0, \"user_ms\": 0, \"sys_ms\": 0, "
        "\"peak_memory_bytes\": 0, \"policy\": \"probe\", \"launcher_version\": \"9.9\", "
        "\"params\": {\"A\": \"1\", \"L\": [\"x\", \"y\\\"q\"]}, \"step\": \"param\", "
        "\"message\": \"param: L=y\\\"q: not a path\", \"param\": \"L\"}\n");
}

TEST_CASE("report strings are valid JSON whatever the bytes, and long ones are written whole") {
  TempDir d;
  std::string path = d.path + "/r.json";
  std::string big(100000, 'a');
  big += "\xff\xc3\xa9\n\x01";
  std::string arg = "B=" + big;
  ParamArg args[] = {{arg.c_str()}};
  ReportContext c;
  c.version = "1";
  c.args = args;
  c.arg_count = 1;
  ReportSink sink;
  sink.path = path.c_str();
  Failure f{};
  REQUIRE(write_report(sink, c, exited(0), f));
  std::string json = read_all(path);
  CHECK(json.find("\"policy\": null") != std::string::npos);
  CHECK(json.find(std::string(100000, 'a') + "\\ufffd\xc3\xa9\\n\\u0001\"}") != std::string::npos);
  CHECK(json.size() > 100000);
}

TEST_CASE("the report file: opened before the job, never through a symlink, FIFO or second hard link") {
  TempDir d;
  std::string lnk = d.path + "/link.json", target = d.path + "/target", fifo = d.path + "/fifo.json";
  std::string hard = d.path + "/hard.json", other = d.path + "/other";
  REQUIRE(symlink(target.c_str(), lnk.c_str()) == 0);
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  int fd = open(other.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  close(fd);
  REQUIRE(link(other.c_str(), hard.c_str()) == 0);
  Failure f{};
  ReportSink s1;
  s1.path = lnk.c_str();
  CHECK_FALSE(open_report(s1, nullptr, f));
  CHECK(f.err == ELOOP);
  CHECK(exit_for(f) == Exit::Usage);
  CHECK(access(target.c_str(), F_OK) != 0);  // nothing made through the link
  ReportSink s2;
  s2.path = fifo.c_str();
  CHECK_FALSE(open_report(s2, nullptr, f));
  CHECK(std::string(f.reason) == "not a regular file");
  ReportSink s3;
  s3.path = hard.c_str();
  CHECK_FALSE(open_report(s3, nullptr, f));
  CHECK(std::string(f.reason) == "has other hard links");
  ReportSink s4;
  std::string missing = d.path + "/no/such/r.json";
  s4.path = missing.c_str();
  CHECK_FALSE(open_report(s4, nullptr, f));
  CHECK(f.err == ENOENT);
}

TEST_CASE("a stale report is emptied when the launch starts") {
  TempDir d;
  std::string path = d.path + "/r.json";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, "{\"status\": 0}", 13) == 13);
  close(fd);
  ReportSink s;
  s.path = path.c_str();
  Failure f{};
  REQUIRE(open_report(s, nullptr, f));
  CHECK(read_all(path) == "");
}

TEST_CASE("what the job leaves at the report's name is replaced by the launcher's report") {
  const char* kinds[] = {"file", "symlink", "directory", "nothing", "written"};
  for (const char* kind : kinds) {
    CAPTURE(kind);
    TempDir d;
    std::string path = d.path + "/r.json";
    ReportSink s;
    s.path = path.c_str();
    Failure f{};
    REQUIRE(open_report(s, nullptr, f));
    // The job runs: it can write the directory.
    std::string k = kind;
    if (k == "written") {
      int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
      const std::string forged = "{\"status\": 0, \"reason\": \"exited\", \"forged\": 1}                    ";
      REQUIRE(write(fd, forged.data(), forged.size()) == static_cast<ssize_t>(forged.size()));
      close(fd);
    } else {
      REQUIRE(unlink(path.c_str()) == 0);
      if (k == "file") {
        int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        REQUIRE(write(fd, "{\"forged\": 1}", 13) == 13);
        close(fd);
      } else if (k == "symlink") {
        REQUIRE(symlink("/etc/passwd", path.c_str()) == 0);
      } else if (k == "directory") {
        REQUIRE(mkdir(path.c_str(), 0755) == 0);
        std::string inside = path + "/x";
        REQUIRE(mkdir(inside.c_str(), 0755) == 0);
      }
    }
    REQUIRE(write_report(s, context(), exited(7), f));
    struct stat st;
    REQUIRE(lstat(path.c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    std::string json = read_all(path);
    CHECK(json.rfind("{\"status\": 7, \"reason\": \"exited\"", 0) == 0);
    CHECK(json.find("forged") == std::string::npos);
    CHECK(json.back() == '\n');
  }
}

TEST_CASE("--report-fd must be open for writing and not passed to the job") {
  Failure f{};
  ReportSink s;
  s.fd = 1000;
  CHECK_FALSE(open_report(s, nullptr, f));
  CHECK(f.err == EBADF);
  int p[2];
  REQUIRE(pipe2(p, O_CLOEXEC) == 0);
  s.fd = p[0];
  CHECK_FALSE(open_report(s, nullptr, f));
  CHECK(std::string(f.reason) == "not open for writing");
  uint32_t passed[] = {static_cast<uint32_t>(p[1])};
  table::List<uint32_t> pass{passed, 1};
  s.fd = p[1];
  CHECK_FALSE(open_report(s, &pass, f));
  CHECK(std::string(f.reason) == "the policy passes this fd to the job (pass_fd)");
  CHECK(open_report(s, nullptr, f));
  close(p[0]);
  close(p[1]);
}

TEST_CASE("--learn and --logged-max") {
  Parsed p = parse({"run", "p", "--learn", "--logged-max", "300", "--", "a"});
  CHECK(p.error == "");
  CHECK(p.cli.learn);
  CHECK(p.cli.logged_max == 300);
  p = parse({"run", "p", "--logged-max=4096", "--", "a"});
  CHECK(p.error == "");
  CHECK_FALSE(p.cli.learn);
  CHECK(p.cli.logged_max == 4096);
  CHECK(parse({"run", "p", "--", "a"}).cli.logged_max == 0);  // the default: 16, or 4096 with --learn
  for (const char* bad : {"0", "4097", "16x", ""}) {
    CAPTURE(bad);
    CHECK(parse({"run", "p", "--logged-max", bad, "--", "a"}).error ==
          "stockade: usage: option --logged-max" + std::string(*bad ? " " : "") + bad + ": not a number in 1..4096\n");
  }
  CHECK(parse({"show", "p", "--learn"}).error.find("not taken by show") != std::string::npos);
  CHECK(parse({"run", "p", "--learn=yes", "--", "a"}).error.find("unknown") != std::string::npos);
}
