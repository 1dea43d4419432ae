// SPDX-License-Identifier: Apache-2.0
// Parameter validation: every rule of docs/language.md's parameter table,
// with the exact stderr line each failure prints.
#include <doctest/doctest.h>

#include <errno.h>

#include <string>

#include "params.h"
#include "test_tables.h"
#include "text.h"

using namespace stockade;

namespace {

// Runs validation on "K=V" arguments (DIR is always given unless the test
// passes its own) and returns "" on success or the rendered stderr line.
std::string check(std::initializer_list<const char*> args, ParamValues* out = nullptr, bool add_dir = true) {
  ParamArg list[kMaxParams];
  size_t n = 0;
  if (add_dir) list[n++].text = "DIR=/jobs/1";
  for (const char* a : args) list[n++].text = a;
  ParamValues local;
  Failure f{};
  if (validate_params(testing::kTestPolicy, list, n, out ? *out : local, f)) return "";
  Text<2048> line;
  format_failure(f, line);
  return std::string(line.view());
}

}  // namespace

TEST_CASE("defaults apply and values are typed") {
  ParamValues v;
  CHECK(check({}, &v) == "");
  CHECK(std::string(v.v[1].text) == "main");
  CHECK(v.v[2].number == 5);
  CHECK(v.v[3].number == 16 << 20);
  CHECK(v.v[4].number == 60000);
  CHECK_FALSE(v.v[5].flag);
  CHECK_FALSE(v.v[6].set);
}

TEST_CASE("size and duration units") {
  ParamValues v;
  CHECK(check({"MEM=2MB", "WAIT=1500ms"}, &v) == "");
  CHECK(v.v[3].number == 2000000);
  CHECK(v.v[4].number == 1500);
  ParamValues w;
  CHECK(check({"MEM=3 MiB", "WAIT=2m"}, &w) == "");
  CHECK(w.v[3].number == 3 << 20);
  CHECK(w.v[4].number == 120000);
  ParamValues bytes;
  CHECK(check({"MEM=1048576", "WAIT=7"}, &bytes) == "");
  CHECK(bytes.v[3].number == 1048576);
  CHECK(bytes.v[4].number == 7000);
}

TEST_CASE("days, as `stockade show` prints a range bound (1 s..30 d)") {
  ParamValues v;
  CHECK(check({"WAIT=30d"}, &v) == "");
  CHECK(v.v[4].number == 30LL * 24 * 3600 * 1000);
  ParamValues w;
  CHECK(check({"WAIT=30 d"}, &w) == "");
  CHECK(w.v[4].number == 30LL * 24 * 3600 * 1000);
}

TEST_CASE("int text is canonical for templates") {
  ParamValues v;
  CHECK(check({"N=007"}, &v) == "");
  CHECK(std::string(v.v[2].text) == "7");
}

TEST_CASE("path rules") {
  CHECK(check({"DIR=jobs/1"}, nullptr, false) == "stockade: param: DIR=jobs/1: not an absolute path\n");
  CHECK(check({"DIR=/jobs/../etc"}, nullptr, false) == "stockade: param: DIR=/jobs/../etc: '..' component\n");
  CHECK(check({"DIR=/jobs/./1"}, nullptr, false) == "stockade: param: DIR=/jobs/./1: '.' component\n");
  CHECK(check({"DIR=/jobs//1"}, nullptr, false) == "stockade: param: DIR=/jobs//1: empty component ('//')\n");
  CHECK(check({"DIR=/jobs/"}, nullptr, false) == "stockade: param: DIR=/jobs/: trailing '/'\n");
  CHECK(check({"DIR="}, nullptr, false) == "stockade: param: DIR=: not an absolute path\n");
  CHECK(check({"DIR=/"}, nullptr, false) == "");
  std::string longest = "DIR=/" + std::string(4094, 'a');
  CHECK(check({longest.c_str()}, nullptr, false) == "");
  std::string too_long = "DIR=/" + std::string(4095, 'a');
  CHECK(check({too_long.c_str()}, nullptr, false).find(": longer than 4095 bytes\n") != std::string::npos);
}

TEST_CASE("name rules") {
  CHECK(check({"NAME=a/b"}) == "stockade: param: NAME=a/b: a name allows only A-Z a-z 0-9 . _ -\n");
  CHECK(check({"NAME=.."}) == "stockade: param: NAME=..: '.' and '..' are not names\n");
  CHECK(check({"NAME="}) == "stockade: param: NAME=: empty name\n");
  std::string ok = "NAME=" + std::string(255, 'x');
  CHECK(check({ok.c_str()}) == "");
  std::string bad = "NAME=" + std::string(256, 'x');
  CHECK(check({bad.c_str()}).find(": longer than 255 bytes\n") != std::string::npos);
}

TEST_CASE("string length") {
  std::string ok = "TAG=" + std::string(4096, 's');
  CHECK(check({ok.c_str()}) == "");
  std::string bad = "TAG=" + std::string(4097, 's');
  CHECK(check({bad.c_str()}).find(": longer than 4096 bytes\n") != std::string::npos);
}

TEST_CASE("numbers: syntax and ranges") {
  CHECK(check({"N=0"}) == "stockade: param: N=0: out of range 1..100\n");
  CHECK(check({"N=101"}) == "stockade: param: N=101: out of range 1..100\n");
  CHECK(check({"N=1x"}) == "stockade: param: N=1x: not a decimal integer\n");
  CHECK(check({"N=99999999999999999999"}) == "stockade: param: N=99999999999999999999: out of the 64-bit range\n");
  CHECK(check({"MEM=1KiB"}) == "stockade: param: MEM=1KiB: out of range 1048576..1073741824 bytes\n");
  CHECK(check({"MEM=5 parsecs"}) == "stockade: param: MEM=5 parsecs: unknown unit\n");
  CHECK(check({"MEM=MiB"}) == "stockade: param: MEM=MiB: not a number\n");
  CHECK(check({"WAIT=3w"}) == "stockade: param: WAIT=3w: unknown unit\n");
  CHECK(check({"MEM=99999999999TiB"}) == "stockade: param: MEM=99999999999TiB: too large\n");
}

TEST_CASE("bool") {
  ParamValues v;
  CHECK(check({"FLAG=true"}, &v) == "");
  CHECK(v.v[5].flag);
  CHECK(check({"FLAG=yes"}) == "stockade: param: FLAG=yes: a bool is true or false\n");
}

TEST_CASE("unknown, missing, repeated, malformed") {
  CHECK(check({"NOPE=1"}) ==
        "stockade: param: NOPE: unknown parameter (policy unit takes: DIR NAME N MEM WAIT FLAG OPT TAG)\n");
  CHECK(check({}, nullptr, false) == "stockade: param: DIR: required by policy unit but not given\n");
  CHECK(check({"N=2", "N=3"}) == "stockade: param: N: given more than once\n");
  CHECK(check({"novalue"}) == "stockade: param: --param novalue: expected NAME=VALUE\n");
  CHECK(check({"=x"}) == "stockade: param: --param =x: expected NAME=VALUE\n");
}

TEST_CASE("path_problem accepts only normalised absolute paths") {
  CHECK(path_problem("/a/b") == nullptr);
  CHECK(path_problem("/") == nullptr);
  CHECK(path_problem("/a/b/..") != nullptr);
  CHECK(path_problem("//") != nullptr);
}

TEST_CASE("failure lines: strerror, reason, and a hint where errno misleads") {
  Failure f{};
  Text<2048> line;
  fail(f, Step::Namespaces, "clone3", "CLONE_NEWUSER|CLONE_NEWNS", EPERM);
  format_failure(f, line);
  CHECK(std::string(line.view()) ==
        "stockade: namespaces: clone3 CLONE_NEWUSER|CLONE_NEWNS: Operation not permitted; hint: user namespaces "
        "disabled? see sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone and AppArmor's "
        "kernel.apparmor_restrict_unprivileged_userns; in a container, its seccomp profile refuses them (README, "
        "\"Running in containers\")\n");
  line.clear();
  fail(f, Step::Mounts, "open_tree", "/jobs/1/main.py", ENOENT);
  format_failure(f, line);
  CHECK(std::string(line.view()) == "stockade: mounts: open_tree /jobs/1/main.py: No such file or directory\n");
}

TEST_CASE("control characters in values are escaped: the message stays one line") {
  CHECK(check({"NAME=new\nline"}) == "stockade: param: NAME=new\\nline: a name allows only A-Z a-z 0-9 . _ -\n");
  CHECK(check({"NAME=a\tb\x1b"}) == "stockade: param: NAME=a\\tb\\x1b: a name allows only A-Z a-z 0-9 . _ -\n");
}
