// SPDX-License-Identifier: Apache-2.0
// Real job layouts in the language: relpath and volume params, list params
// (`path[]`, `volume[]`), `bind each`, `within` and `follow`: exact
// diagnostics, and what they lower to.
#include <doctest/doctest.h>

#include <string>

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

TEST_SUITE("layouts") {
  TEST_CASE("a relpath follows a directory and lowers to PARAM_RELPATH") {
    auto c = compile_snippet(
        "policy p {\n  param JOB_DIR : path\n  param MAIN : relpath = \"u/admin/main\"\n"
        "  mount { bind ${JOB_DIR}/${MAIN}.py -> /tmp/${MAIN}.py }\n}\n");
    const ir::PolicyIr& p = only(c);
    CHECK(p.params(1).type() == ir::PARAM_RELPATH);
    CHECK(p.params(1).default_value() == "u/admin/main");
  }

  TEST_CASE("a relpath may not start a path, and its default is checked") {
    CHECK(errors_of("policy p {\n  param M : relpath\n  mount { bind ${M}/x -> /y }\n}\n") ==
          "test.policy:3:16: error: relpath param 'M' is relative: put it after a directory, as in "
          "'${JOB_DIR}/${M}'\n"
          "  mount { bind ${M}/x -> /y }\n"
          "               ^~~~\n");
    CHECK(errors_of("policy p {\n  param M : relpath = \"a/../b\"\n}\n") ==
          "test.policy:2:23: error: default of 'M' is not a relpath: '..' component\n"
          "  param M : relpath = \"a/../b\"\n"
          "                      ^~~~~~~~\n");
  }

  TEST_CASE("bind each lowers to one row with each, within and no target") {
    auto c = compile_snippet(
        "policy p {\n  param DEPS : path[]\n  param VOLS : volume[]\n"
        "  mount {\n    bind each ${DEPS}\n    bind each ${DEPS} -> /deps\n"
        "    bind each ${VOLS} rw within /tmp/volumes /mnt\n  }\n}\n");
    const ir::PolicyIr& p = only(c);
    CHECK(p.params(0).list());
    CHECK(p.params(1).type() == ir::PARAM_VOLUME);
    REQUIRE(p.mounts_size() == 3);
    CHECK(p.mounts(0).each());
    CHECK(p.mounts(0).target().segments_size() == 0);
    CHECK_FALSE(p.mounts(0).read_write());
    CHECK(p.mounts(1).target().segments(0).literal() == "/deps");
    CHECK(p.mounts(2).read_write());
    REQUIRE(p.mounts(2).within_size() == 2);
    CHECK(p.mounts(2).within(1).segments(0).literal() == "/mnt");
  }

  TEST_CASE("follow lowers to the root a link may point into") {
    auto c = compile_snippet(
        "policy p {\n  param JOB_DIR : path\n  param CACHE : path\n"
        "  mount { bind ${JOB_DIR}/main -> /tmp/main follow ${CACHE} }\n}\n");
    const ir::PolicyIr& p = only(c);
    REQUIRE(p.mounts(0).follow().segments_size() == 1);
    CHECK(p.mounts(0).follow().segments(0).param() == 1);
  }

  TEST_CASE("a path list is read-only; volumes need within and name their own target") {
    CHECK(errors_of("policy p {\n  param D : path[]\n  mount { bind each ${D} rw }\n}\n") ==
          "test.policy:3:26: error: 'bind each' of paths is read-only; a caller-chosen rw bind is a volume[] list\n"
          "  mount { bind each ${D} rw }\n"
          "                         ^~\n");
    CHECK(errors_of("policy p {\n  param V : volume[]\n  mount { bind each ${V} rw }\n}\n") ==
          "test.policy:3:21: error: 'bind each' of volumes needs 'within DIR...': the directories a target may "
          "lie below\n"
          "  mount { bind each ${V} rw }\n"
          "                    ^~~~\n");
    CHECK(errors_of("policy p {\n  param V : volume[]\n  mount { bind each ${V} rw within /etc }\n}\n") ==
          "test.policy:3:36: error: 'within /etc': a caller-chosen target may not lie in a system directory\n"
          "  mount { bind each ${V} rw within /etc }\n"
          "                                   ^~~~\n");
  }

  TEST_CASE("lists are bound only by bind each, and bind each takes only lists") {
    CHECK(errors_of("policy p {\n  param D : path[]\n  mount { bind ${D} -> /x }\n}\n") ==
          "test.policy:3:16: error: list param 'D' can only be the source of 'bind each'\n"
          "  mount { bind ${D} -> /x }\n"
          "               ^~~~\n");
    CHECK(errors_of("policy p {\n  param J : path\n  mount { bind each ${J} }\n}\n") ==
          "test.policy:3:21: error: 'J' is a path, not a list: declare it as 'path[]'\n"
          "  mount { bind each ${J} }\n"
          "                    ^~~~\n");
    CHECK(errors_of("policy p {\n  param L : int[]\n}\n") ==
          "test.policy:2:13: error: a list param is path[], volume[] or endpoint[]\n"
          "  param L : int[]\n"
          "            ^~~\n");
    CHECK(errors_of("policy p {\n  param O : path[]?\n}\n") ==
          "test.policy:2:13: error: list param 'O' cannot be optional: left out, it is empty\n"
          "  param O : path[]?\n"
          "            ^~~~\n");
    CHECK(errors_of("policy p {\n  param V : volume\n}\n") ==
          "test.policy:2:13: error: a volume param is a list: declare 'V : volume[]'\n"
          "  param V : volume\n"
          "            ^~~~~~\n");
  }

  TEST_CASE("within and follow belong to their statements") {
    CHECK(errors_of("policy p {\n  param J : path\n  mount { bind ${J}/a -> /z within /tmp }\n}\n") ==
          "test.policy:3:29: error: option 'within' only applies to 'bind each'\n"
          "  mount { bind ${J}/a -> /z within /tmp }\n"
          "                            ^~~~~~\n");
    CHECK(errors_of("policy p {\n  param J : path\n  mount { tmpfs /t follow ${J} }\n}\n") ==
          "test.policy:3:20: error: option 'follow' only applies to a single bind\n"
          "  mount { tmpfs /t follow ${J} }\n"
          "                   ^~~~~~\n");
  }
}

}  // namespace
}  // namespace stockade::frontend
