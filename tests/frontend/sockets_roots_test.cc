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
}

}  // namespace
}  // namespace stockade::frontend
