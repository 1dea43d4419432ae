// SPDX-License-Identifier: Apache-2.0
// The `socket` bind option (a pathname unix socket the job connects to:
// lifts the launcher's unix-socket guard, runtime/seccomp/unix_guard.h) and
// `within` on path params (the roots a value must lie in): exact
// diagnostics, and what they lower to.
#include <doctest/doctest.h>

#include <string>

#include "explain/explain.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

using test::compile_snippet;
using test::errors_of;

const ir::PolicyIr& only(const test::Compiled& c) {
  REQUIRE(c.ok);
  REQUIRE(c.set.policies_size() == 1);
  return c.set.policies(0);
}

TEST_SUITE("roots") {
  TEST_CASE("socket marks a single bind and shows in explain") {
    auto c = compile_snippet("policy p {\n  param S : path?\n  mount { bind ${S} -> /tmp/podman.sock rw socket }\n}\n");
    const ir::PolicyIr& p = only(c);
    REQUIRE(p.mounts_size() == 1);
    CHECK(p.mounts(0).unix_socket());
    CHECK(explain::explain(p).find("a unix socket the job connects to") != std::string::npos);
    auto plain = compile_snippet("policy p {\n  mount { bind /run/x.sock }\n}\n");
    CHECK_FALSE(only(plain).mounts(0).unix_socket());
  }

  TEST_CASE("socket only applies to a single bind") {
    CHECK(errors_of("policy p {\n  mount { tmpfs /t socket }\n}\n") ==
          "test.policy:2:20: error: option 'socket' only applies to a single bind (the pathname socket the job "
          "connects to)\n"
          "  mount { tmpfs /t socket }\n"
          "                   ^~~~~~\n");
    CHECK(errors_of("policy p {\n  param L : path[]\n  mount { bind each ${L} socket }\n}\n") ==
          "test.policy:3:26: error: option 'socket' only applies to a single bind (the pathname socket the job "
          "connects to)\n"
          "  mount { bind each ${L} socket }\n"
          "                         ^~~~~~\n");
  }

  TEST_CASE("within on a path param lowers to its roots and shows in explain") {
    auto c = compile_snippet(
        "policy p {\n  param PY : path within /tmp/windmill/cache /usr = \"/usr/lib/python3\"\n"
        "  param DEPS : path[] within /tmp/windmill/cache\n  param O : path? within /opt\n}\n");
    const ir::PolicyIr& p = only(c);
    REQUIRE(p.params_size() == 3);
    REQUIRE(p.params(0).within_size() == 2);
    CHECK(p.params(0).within(0) == "/tmp/windmill/cache");
    CHECK(p.params(0).within(1) == "/usr");
    CHECK(p.params(1).within_size() == 1);
    CHECK(p.params(2).within_size() == 1);
    CHECK(explain::explain(p).find("default \"/usr/lib/python3\", within /tmp/windmill/cache or /usr") !=
          std::string::npos);
  }

  TEST_CASE("within: path params only, literal absolute roots") {
    CHECK(errors_of("policy p {\n  param S : string within /usr\n}\n") ==
          "test.policy:2:20: error: 'within' only applies to path params (path, path?, path[])\n"
          "  param S : string within /usr\n"
          "                   ^~~~~~\n");
    CHECK(errors_of("policy p {\n  param A : path\n  param B : path within ${A}\n}\n") ==
          "test.policy:3:25: error: a root of 'within' is a literal path; it cannot refer to a param\n"
          "  param B : path within ${A}\n"
          "                        ^~~~\n");
    CHECK(errors_of("policy p {\n  param B : path within /usr/\n}\n") ==
          "test.policy:2:25: error: 'within /usr/': trailing '/'\n"
          "  param B : path within /usr/\n"
          "                        ^~~~~\n");
  }

  TEST_CASE("within: the default must lie in a root, component-wise") {
    CHECK(errors_of("policy p {\n  param P : path within /tmp/windmill/cache /usr = \"/root\"\n}\n") ==
          "test.policy:2:52: error: default of 'P' is not within /tmp/windmill/cache or /usr\n"
          "  param P : path within /tmp/windmill/cache /usr = \"/root\"\n"
          "                                                   ^~~~~~~\n");
    CHECK_FALSE(errors_of("policy p {\n  param P : path within /usr = \"/usrx\"\n}\n").empty());
    CHECK(errors_of("policy p {\n  param P : path within /usr = \"/usr\"\n}\n").empty());
  }

  TEST_CASE("within: a redeclaration keeps or narrows the roots") {
    const std::string base = "policy a {\n  param P : path within /tmp/windmill/cache /usr\n}\n";
    CHECK(errors_of(base + "policy b extends a {\n  param P : path = \"/usr/lib\"\n}\n") ==
          "test.policy:5:9: error: param 'P' redeclared without 'within': policy 'a' limits it to "
          "/tmp/windmill/cache or /usr; repeat the roots (or narrower ones)\n"
          "  param P : path = \"/usr/lib\"\n"
          "        ^\n");
    CHECK(errors_of(base + "policy b extends a {\n  param P : path within /opt\n}\n") ==
          "test.policy:5:25: error: 'within /opt' widens param 'P': policy 'a' limits it to "
          "/tmp/windmill/cache or /usr\n"
          "  param P : path within /opt\n"
          "                        ^~~~\n");
    CHECK(errors_of(base + "policy b extends a {\n  param P : path within /usr/lib\n}\n").empty());
  }
}

}  // namespace
}  // namespace stockade::frontend
