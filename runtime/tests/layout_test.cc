// SPDX-License-Identifier: Apache-2.0
// Real job layouts: relative-path params, list params (one bind per value),
// caller-chosen volume targets, and the --param-file bulk form, resolved
// against tests/test_tables.cc's `layout` policy.
#include <doctest/doctest.h>

#include <stdio.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "param_file.h"
#include "plan.h"
#include "test_tables.h"

using namespace stockade;

namespace {

struct Layout {
  std::vector<char> arena_bytes = std::vector<char>(4 << 20);
  Arena arena{arena_bytes.data(), arena_bytes.size()};
  ParamValues values;
  Plan plan;
  Failure f{};
  bool ok = false;
  std::string line;

  explicit Layout(const std::vector<std::string>& args, ParamSource source = ParamSource::Option) {
    std::vector<ParamArg> list;
    list.push_back({"CACHE=/cache", ParamSource::Option});
    for (const std::string& a : args) list.push_back({a.c_str(), source});
    static char prog[] = "/bin/true";
    static char* argv[] = {prog, nullptr};
    static char* env[] = {nullptr};
    ok = validate_params(testing::kLayoutPolicy, list.data(), list.size(), values, f) &&
         resolve_plan(testing::kLayoutPolicy, values, env, argv, arena, plan, f);
    if (!ok) {
      Text<2048> t;
      format_failure(f, t);
      line = std::string(t.view());
      if (!line.empty() && line.back() == '\n') line.pop_back();
    }
  }
  std::string target(uint32_t i) const { return plan.mounts[i].target; }
  std::string source(uint32_t i) const { return plan.mounts[i].source; }
};

}  // namespace

TEST_CASE("relpath: folders accepted, normalised forms refused") {
  Layout a({"MAIN=u/admin/my_script"});
  REQUIRE(a.ok);
  CHECK(a.source(1) == "/jobs/1/u/admin/my_script.py");
  CHECK(a.target(1) == "/tmp/u/admin/my_script.py");
  CHECK(a.plan.mounts[1].source_trusted_len == 7);  // only JOB is trusted: the rest is the job's directory
  CHECK(Layout({"MAIN=f/billing/sync"}).ok);
  CHECK(Layout({"MAIN=tmp/main"}).ok);
  CHECK(Layout({"MAIN=/etc/passwd"}).line ==
        "stockade: param: MAIN=/etc/passwd: not a relative path (starts with '/')");
  CHECK(Layout({"MAIN=u/../../etc"}).line == "stockade: param: MAIN=u/../../etc: '..' component");
  CHECK(Layout({"MAIN=u//x"}).line == "stockade: param: MAIN=u//x: empty component ('//')");
  CHECK(Layout({"MAIN=u/x/"}).line == "stockade: param: MAIN=u/x/: trailing '/'");
  CHECK(Layout({"MAIN=./x"}).line == "stockade: param: MAIN=./x: '.' component");
  CHECK(Layout({"MAIN="}).line == "stockade: param: MAIN=: empty relative path");
  CHECK(Layout({"MAIN=" + std::string(4096, 'a')}).line.find("longer than 4095 bytes") != std::string::npos);
}

TEST_CASE("a list param: one bind per value, at its own path and below a directory") {
  Layout a({"DEPS=/cache/py/numpy==2.1", "DEPS=/cache/py/six==1.16"});
  REQUIRE(a.ok);
  // tmpfs, MAIN, follow bind, then DEPS at their own paths, then below /deps.
  REQUIRE(a.plan.mount_count == 7);
  CHECK(a.target(3) == "/cache/py/numpy==2.1");
  CHECK(a.source(3) == "/cache/py/numpy==2.1");
  CHECK(a.target(4) == "/cache/py/six==1.16");
  CHECK(a.target(5) == "/deps/numpy==2.1");
  CHECK(a.target(6) == "/deps/six==1.16");
  CHECK((a.plan.mounts[3].flags & table::kMountReadWrite) == 0);
  CHECK(a.plan.mounts[3].source_trusted_len == a.source(3).size());
}

TEST_CASE("an empty list binds nothing") {
  Layout a({});
  REQUIRE(a.ok);
  CHECK(a.plan.mount_count == 3);
}

TEST_CASE("list values are validated one by one, and bounded") {
  CHECK(Layout({"DEPS=/cache/a", "DEPS=relative"}).line == "stockade: param: DEPS=relative: not an absolute path");
  CHECK(Layout({"DEPS=/cache/../etc"}).line == "stockade: param: DEPS=/cache/../etc: '..' component");
  std::vector<std::string> many(1025, "DEPS=/cache/x");
  CHECK(Layout(many).line == "stockade: param: DEPS: more than 1024 values");
  std::vector<std::string> full(1000, "DEPS=/cache/x");
  CHECK(Layout(full).ok);  // bound twice by the policy: 2003 mounts
  std::vector<std::string> over(1024, "DEPS=/cache/x");
  CHECK(Layout(over).line == "stockade: param: mounts layout: more than 2048 apply (list elements included)");
}

TEST_CASE("a list value may not replace or cover the policy's own mounts") {
  CHECK(Layout({"DEPS=/tmp"}).line == "stockade: param: DEPS=/tmp: target /tmp is a mount target of the policy");
  CHECK(Layout({"DEPS=/proc"}).line == "stockade: param: DEPS=/proc: target /proc is at or below a system directory");
  CHECK(Layout({"DEPS=/"}).line == "stockade: param: DEPS=/: target / is the sandbox's root");
  // Below the policy's tmpfs is where Windmill's cache lives.
  CHECK(Layout({"DEPS=/tmp/windmill/cache/python_311/six==1.16"}).ok);
}

TEST_CASE("volumes: the caller picks the target, only below the policy's directories") {
  Layout a({"VOLS=/srv/vol/data:/tmp/volumes/data", "VOLS=/srv/vol/models:/mnt/models"});
  REQUIRE(a.ok);
  REQUIRE(a.plan.mount_count == 5);
  CHECK(a.source(3) == "/srv/vol/data");
  CHECK(a.target(3) == "/tmp/volumes/data");
  CHECK(a.target(4) == "/mnt/models");
  CHECK((a.plan.mounts[3].flags & table::kMountReadWrite) != 0);
  CHECK(Layout({"VOLS=/srv/x:/etc/x"}).line ==
        "stockade: param: VOLS=/srv/x:/etc/x: target /etc/x is not below /tmp/volumes, /mnt");
  CHECK(Layout({"VOLS=/srv/x:/proc/x"}).line ==
        "stockade: param: VOLS=/srv/x:/proc/x: target /proc/x is not below /tmp/volumes, /mnt");
  CHECK(Layout({"VOLS=/srv/x:/tmp/../etc"}).line == "stockade: param: VOLS=/srv/x:/tmp/../etc: '..' component");
  CHECK(Layout({"VOLS=/srv/x:/tmp/volumes"}).line ==
        "stockade: param: VOLS=/srv/x:/tmp/volumes: target /tmp/volumes is not below /tmp/volumes, /mnt");
  CHECK(Layout({"VOLS=/srv/x"}).line == "stockade: param: VOLS=/srv/x: a volume is HOST_PATH:TARGET");
  CHECK(Layout({"VOLS=srv:/mnt/x"}).line == "stockade: param: VOLS=srv:/mnt/x: not an absolute path");
}

TEST_CASE("--param-file: one value a line, lists only") {
  char path[] = "/tmp/stockade-param-file-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  std::string body;
  for (int i = 0; i < 300; ++i) body += "/cache/py/pkg" + std::to_string(i) + "==1.0\n";
  body += "\n";  // empty lines are skipped
  REQUIRE(write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()));
  close(fd);
  Cli cli;
  cli.params[0] = {"CACHE=/cache", ParamSource::Option};
  std::string spec = std::string("DEPS=") + path;
  cli.params[1] = {spec.c_str(), ParamSource::FileOption};
  std::string main_spec = std::string("MAIN=") + path;
  cli.params[2] = {main_spec.c_str(), ParamSource::FileOption};
  cli.param_count = 2;
  std::vector<char> bytes(4 << 20);
  Arena arena(bytes.data(), bytes.size());
  const ParamArg* args = nullptr;
  size_t n = 0;
  Failure f{};
  REQUIRE(expand_param_files(cli, arena, &args, &n, f));
  REQUIRE(n == 301);
  CHECK(std::string(args[300].text) == "DEPS=/cache/py/pkg299==1.0");
  ParamValues values;
  REQUIRE(validate_params(testing::kLayoutPolicy, args, n, values, f));
  CHECK(values.v[1].item_count == 300);

  cli.param_count = 3;  // a scalar param from a file is refused
  REQUIRE(expand_param_files(cli, arena, &args, &n, f));
  ParamValues v2;
  CHECK_FALSE(validate_params(testing::kLayoutPolicy, args, n, v2, f));
  Text<512> t;
  format_failure(f, t);
  CHECK(std::string(t.view()) == "stockade: param: --param-file MAIN: not a list parameter: give it with --param\n");

  cli.params[1] = {"DEPS=/nonexistent/stockade-list", ParamSource::FileOption};
  cli.param_count = 2;
  CHECK_FALSE(expand_param_files(cli, arena, &args, &n, f));
  t.clear();
  format_failure(f, t);
  CHECK(std::string(t.view()) ==
        "stockade: param: --param-file /nonexistent/stockade-list: No such file or directory\n");
  unlink(path);
}

namespace {
using namespace stockade::table;
// keep_caps with the user namespace switched off by NEWUSER=false.
constexpr uint16_t kCapParams[] = {13};  // NEWUSER bool = true, a row of test_tables.cc's kParamRows
constexpr Cond kIfNotNewuser[] = {{0, CondKind::IsFalse}};
constexpr NamespaceSetting kCapNs[] = {{Namespace::User, false, {kIfNotNewuser, 1}}};
constexpr uint32_t kCaps[] = {21};  // CAP_SYS_ADMIN
const Policy kCapPolicy = {
    "caps",       {0, 0},       {0, 0},       {kCapParams, 1}, {nullptr, 0}, {nullptr, 0}, {nullptr, 0},
    {kCapNs, 1},  {nullptr, 0}, {nullptr, 0}, {nullptr, 0},    {nullptr, 0}, {nullptr, 0}, {nullptr, 0},
    {nullptr, 0}, {kCaps, 1},   false,        Session::New,    {nullptr, 0}, {nullptr, 0},
};

std::string resolve_caps(const char* arg) {
  std::vector<char> bytes(1 << 16);
  Arena arena(bytes.data(), bytes.size());
  ParamArg args[1] = {{arg, ParamSource::Option}};
  ParamValues values;
  Plan plan;
  Failure f{};
  static char prog[] = "/bin/true";
  static char* argv[] = {prog, nullptr};
  static char* env[] = {nullptr};
  if (validate_params(kCapPolicy, args, 1, values, f) && resolve_plan(kCapPolicy, values, env, argv, arena, plan, f))
    return "";
  Text<512> t;
  format_failure(f, t);
  return std::string(t.view());
}
}  // namespace

TEST_CASE("kept capabilities without a user namespace are refused before set-up, naming the param") {
  CHECK(resolve_caps("NEWUSER=true") == "");
  CHECK(resolve_caps("NEWUSER=false") ==
        "stockade: param: NEWUSER=false user namespace off: the policy keeps capabilities, which without a user "
        "namespace would be the host's\n");
}

TEST_CASE("--param-file: a NUL byte and a file over 1 MiB are refused with one line") {
  auto refuse = [](const std::string& body) {
    char path[] = "/tmp/stockade-param-file-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()));
    close(fd);
    Cli cli;
    std::string spec = std::string("DEPS=") + path;
    cli.params[0] = {spec.c_str(), ParamSource::FileOption};
    cli.param_count = 1;
    std::vector<char> bytes(4 << 20);
    Arena arena(bytes.data(), bytes.size());
    const ParamArg* args = nullptr;
    size_t n = 0;
    Failure f{};
    bool ok = expand_param_files(cli, arena, &args, &n, f);
    unlink(path);
    Text<512> t;
    format_failure(f, t);
    return ok ? std::string()
              : std::string(t.view()).replace(std::string(t.view()).find(path), sizeof path - 1, "FILE");
  };
  CHECK(refuse(std::string("/cache/a\n/cache/\0b\n", 19)) == "stockade: param: --param-file FILE: holds a NUL byte\n");
  CHECK(refuse(std::string((1 << 20) + 1, 'a')) == "stockade: param: --param-file FILE: larger than 1 MiB\n");
  CHECK(refuse(std::string(1 << 20, 'a')).find("larger") == std::string::npos);
}
