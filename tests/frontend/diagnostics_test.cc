// SPDX-License-Identifier: Apache-2.0
// "Did you mean", unit errors, unclosed blocks and inherited expects: the
// exact text a policy author reads for each mistake of issue 14.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "diag/suggest.h"
#include "helpers.h"
#include "seccomp/seccomp.h"

namespace stockade::frontend {
namespace {

using test::errors_of;

// Compiles `text` with includes from the shipped policies/, then runs the
// seccomp stage (Kafel, BPF, expect checks) on each policy, as `stockadec
// check` does. Returns every diagnostic rendered, "" when clean.
std::string checked(const std::string& text, const std::string& name = "child.policy") {
  diag::SourceMap sources;
  diag::Sink sink;
  ir::PolicySet set;
  if (compile_text(name, text, STOCKADE_POLICY_DIR, Options{}, sources, sink, set))
    for (ir::PolicyIr& p : *set.mutable_policies()) seccomp::compile_policy(p, sink, STOCKADE_POLICY_DIR);
  return diag::render_all(sink, sources);
}

TEST_SUITE("diagnostics") {
  TEST_CASE("the suggestion is the one close name, or none") {
    CHECK(diag::edit_distance("unamee", "uname") == 1);
    CHECK(diag::edit_distance("bsae", "base") == 1);  // a swap is one edit
    CHECK(diag::edit_distance("mb", "MB") == 0);      // case-blind
    CHECK(diag::closest("hostnme", {"hostname", "cwd"}) == "hostname");
    CHECK(diag::closest("lo", {"none", "loopback", "host"}) == "loopback");  // part of one name
    CHECK(diag::closest("flag", {"clone_flags", "newsp", "tls"}) == "clone_flags");
    CHECK_FALSE(diag::closest("zzz", {"none", "loopback", "host"}));
    CHECK_FALSE(diag::closest("o", {"none", "loopback", "host"}));   // too short to be part of one
    CHECK_FALSE(diag::closest("ab", {"ac", "ad"}));                  // two equally close: no guess
    CHECK_FALSE(diag::closest("mins", {"ms", "s", "m", "h", "d"}));  // two edits are too many for four letters
    CHECK_FALSE(diag::closest("base", {"base"}));                    // never the word itself
    CHECK(diag::did_you_mean("nofiles", {"nofile", "nproc"}) == "; did you mean 'nofile'?");
    CHECK(diag::did_you_mean("xyz", {"nofile", "nproc"}) == "");
  }

  TEST_CASE("a misspelt setting keyword") {
    CHECK(errors_of("policy p {\n  hostnme \"x\"\n}\n") ==
          "test.policy:2:3: error: syntax error, unexpected identifier 'hostnme'; did you mean 'hostname'?\n"
          "  hostnme \"x\"\n"
          "  ^~~~~~~\n");
  }

  TEST_CASE("a misspelt top-level keyword") {
    CHECK(errors_of("polcy p {}\n") ==
          "test.policy:1:1: error: syntax error, unexpected identifier 'polcy', expecting 'policy'; "
          "did you mean 'policy'?\n"
          "polcy p {}\n"
          "^~~~~\n");
  }

  TEST_CASE("a misspelt param reference") {
    CHECK(errors_of("policy p {\n  param JOB_DIR : path\n  mount { bind ${JOBDIR}/x -> /x }\n}\n") ==
          "test.policy:3:16: error: unknown param 'JOBDIR'; did you mean 'JOB_DIR'?\n"
          "  mount { bind ${JOBDIR}/x -> /x }\n"
          "               ^~~~~~~~~\n");
  }

  TEST_CASE("a misspelt parent policy") {
    CHECK(errors_of("policy base {}\npolicy p extends bsae {}\n") ==
          "test.policy:2:18: error: unknown policy 'bsae' in extends; did you mean 'base'?\n"
          "policy p extends bsae {}\n"
          "                 ^~~~\n");
  }

  TEST_CASE("no suggestion when nothing is close") {
    CHECK(errors_of("policy base {}\npolicy p extends zzzzzz {}\n") ==
          "test.policy:2:18: error: unknown policy 'zzzzzz' in extends\n"
          "policy p extends zzzzzz {}\n"
          "                 ^~~~~~\n");
  }

  TEST_CASE("rlimit, cgroup limit, capability, network mode, session, param type") {
    CHECK(errors_of("policy p {\n  limits { nofiles 64 }\n}\n") ==
          "test.policy:2:12: error: unknown rlimit 'nofiles'; did you mean 'nofile'?\n"
          "  limits { nofiles 64 }\n"
          "           ^~~~~~~\n");
    CHECK(errors_of("policy p { cgroup { pid 10 } }\n") ==
          "test.policy:1:21: error: unknown cgroup limit 'pid'; did you mean 'pids'?\n"
          "policy p { cgroup { pid 10 } }\n"
          "                    ^~~\n");
    CHECK(errors_of("policy p {\n  capabilities { keep CAP_NET_BIND_SERVCE }\n}\n") ==
          "test.policy:2:23: error: unknown capability 'CAP_NET_BIND_SERVCE'; did you mean 'CAP_NET_BIND_SERVICE'?\n"
          "  capabilities { keep CAP_NET_BIND_SERVCE }\n"
          "                      ^~~~~~~~~~~~~~~~~~~\n");
    CHECK(errors_of("policy p {\n  network lo\n}\n") ==
          "test.policy:2:11: error: unknown network mode 'lo'; did you mean 'loopback'?\n"
          "  network lo\n"
          "          ^~\n");
    CHECK(errors_of("policy p { session kep }\n") ==
          "test.policy:1:20: error: unknown session mode 'kep'; did you mean 'keep'?\n"
          "policy p { session kep }\n"
          "                   ^~~\n");
    CHECK(errors_of("policy p {\n  param N : szie = 1MiB\n}\n") ==
          "test.policy:2:13: error: unknown param type 'szie' (expected path, name, string, int, size, duration, "
          "bool, relpath, volume or endpoint); did you mean 'size'?\n"
          "  param N : szie = 1MiB\n"
          "            ^~~~\n");
  }

  TEST_CASE("a unit the language does not have, named with the units that fit") {
    CHECK(errors_of("policy p {\n  time_limit 30sec\n}\n") ==
          "test.policy:2:14: error: unknown duration unit 'sec'; use ms, s, m, h or d\n"
          "  time_limit 30sec\n"
          "             ^~~~~\n");
    CHECK(errors_of("policy p {\n  mount { tmpfs /tmp size 64mb }\n}\n") ==
          "test.policy:2:27: error: unknown size unit 'mb'; use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB; "
          "did you mean 'MB'?\n"
          "  mount { tmpfs /tmp size 64mb }\n"
          "                          ^~~~\n");
    CHECK(errors_of("policy p {\n  param T : duration = 5mins\n}\n") ==
          "test.policy:2:24: error: unknown duration unit 'mins'; use ms, s, m, h or d\n"
          "  param T : duration = 5mins\n"
          "                       ^~~~~\n");
    CHECK(errors_of("policy p { pass_fd 3x }\n") ==
          "test.policy:1:20: error: unknown unit 'x': a count takes no unit\n"
          "policy p { pass_fd 3x }\n"
          "                   ^~\n");
    // Hex digits stay hex: 0x1f is a number, 0x1g is no unit.
    CHECK(errors_of("policy p { pass_fd 0x1g }\n") ==
          "test.policy:1:20: error: invalid hex number '0x1g'\n"
          "policy p { pass_fd 0x1g }\n"
          "                   ^~~~\n");
  }

  TEST_CASE("a missing '}' at the end of the file notes the open brace") {
    CHECK(errors_of("policy p {\n  limits { nofile 64\n}\n") ==
          "test.policy:4:1: error: syntax error, unexpected end of file, expecting '}'\n"
          "\n"
          "^\n"
          "test.policy:1:10: note: the block opened here is not closed\n"
          "policy p {\n"
          "         ^\n");
  }

  TEST_CASE("a missing '}' before the next statement notes the open brace") {
    CHECK(errors_of("policy p {\n  mount {\n    bind /usr\n\n  hostname \"x\"\n}\n") ==
          "test.policy:5:3: error: syntax error, unexpected 'hostname'\n"
          "  hostname \"x\"\n"
          "  ^~~~~~~~\n"
          "test.policy:2:9: note: the block opened here is not closed\n"
          "  mount {\n"
          "        ^\n");
    CHECK(errors_of("policy p {\n  hostname \"x\"\n\npolicy q {}\n") ==
          "test.policy:4:1: error: syntax error, unexpected 'policy'\n"
          "policy q {}\n"
          "^~~~~~\n"
          "test.policy:1:10: note: the block opened here is not closed\n"
          "policy p {\n"
          "         ^\n");
  }

  TEST_CASE("a stray word inside a block gets no brace note") {
    CHECK(errors_of("policy p { mount { bind /usr frob } }\n") ==
          "test.policy:1:30: error: syntax error, unexpected identifier 'frob'\n"
          "policy p { mount { bind /usr frob } }\n"
          "                             ^~~~\n");
  }

  TEST_CASE("a misspelt syscall and argument name in seccomp and expect") {
    CHECK(checked("policy p {\n  seccomp { ALLOW { unamee } DEFAULT KILL }\n}\n") ==
          "child.policy:2:21: error: unknown syscall `unamee'; did you mean 'uname'?\n"
          "  seccomp { ALLOW { unamee } DEFAULT KILL }\n"
          "                    ^~~~~~\n");
    CHECK(checked("policy p {\n  seccomp { ALLOW { clone { flag == 1 } } DEFAULT KILL }\n}\n") ==
          "child.policy:2:29: error: undefined argument `flag' for `clone'; did you mean 'clone_flags'?\n"
          "  seccomp { ALLOW { clone { flag == 1 } } DEFAULT KILL }\n"
          "                            ^~~~\n");
    CHECK(checked("policy p {\n  expect unamee -> ALLOW\n}\n") ==
          "child.policy:2:10: error: unknown syscall `unamee'; did you mean 'uname'?\n"
          "  expect unamee -> ALLOW\n"
          "         ^~~~~~\n");
  }

  TEST_CASE("an inherited expect that fails names the child policy and the way out") {
    std::string out = checked(
        "include \"base.policy\"\n\npolicy logger extends base {\n"
        "  seccomp { USE base_denylist DEFAULT LOG }\n}\n");
    CHECK(doctest::String(out.c_str()) ==
          doctest::Contains("error: expect failed: execve gets LOG, not ALLOW\n"
                            "  expect execve -> ALLOW\n"
                            "         ^~~~~~\n"
                            "child.policy:3:1: note: checked for policy 'logger', which inherits it from "
                            "'base_common'; restate it there (`expect execve -> ...`) or drop it "
                            "(`expect drop execve`)\n"
                            "policy logger extends base {\n"
                            "^~~~~~\n"));
  }

  TEST_CASE("a DEFAULT LOG policy extends base by restating and dropping base's ALLOW expects") {
    // Every `expect CALL -> ALLOW` of base.policy gets LOG under DEFAULT LOG:
    // restate each (blanks around the arrow do not matter), drop execve.
    std::ifstream in(std::string(STOCKADE_POLICY_DIR) + "/base.policy");
    std::string line, restated;
    size_t count = 0;
    while (std::getline(in, line)) {
      size_t at = line.find("expect ");
      size_t arrow = line.find("-> ALLOW");
      if (at == std::string::npos || arrow == std::string::npos) continue;
      std::string call = line.substr(at + 7, arrow - at - 7);
      if (call.rfind("execve", 0) == 0) continue;
      restated += "  expect " + call + "  ->  LOG\n";
      ++count;
    }
    CHECK(count >= 6);
    CHECK(checked("include \"base.policy\"\n\npolicy logger extends base {\n"
                  "  seccomp { USE base_denylist DEFAULT LOG }\n" +
                  restated + "  expect drop execve\n}\n") == "");
  }

  TEST_CASE("a restated expect is checked with its new action") {
    std::string out = checked(
        "include \"base.policy\"\n\npolicy p extends base {\n"
        "  expect execve -> KILL\n}\n");
    CHECK(out ==
          "child.policy:4:10: error: expect failed: execve gets ALLOW, not KILL\n"
          "  expect execve -> KILL\n"
          "         ^~~~~~\n");
  }

  TEST_CASE("a drop that matches nothing inherited is an error") {
    CHECK(checked("include \"base.policy\"\n\npolicy p extends base {\n  expect drop execv\n}\n") ==
          "child.policy:4:10: error: expect drop: policy 'p' inherits no expect on 'execv'; did you mean 'execve'?\n"
          "  expect drop execv\n"
          "         ^~~~~~~~~~\n");
    CHECK(errors_of("policy p {\n  expect drop execve\n}\n") ==
          "test.policy:2:10: error: expect drop: policy 'p' inherits no expect on 'execve' (it extends nothing)\n"
          "  expect drop execve\n"
          "         ^~~~~~~~~~~\n");
  }
}

}  // namespace
}  // namespace stockade::frontend
