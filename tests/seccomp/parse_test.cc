// SPDX-License-Identifier: Apache-2.0
// Lexer and parser: what they accept, and the exact text of their errors.
#include <doctest/doctest.h>

#include "diag/diagnostics.h"
#include "kafel_parse.h"
#include "support.h"

using namespace stockade::seccomp;

namespace {
std::string errors_of(const std::string& text, FragmentOrigin origin = {"test.policy", 1, 1}) {
  stockade::diag::Sink sink;
  stockade::diag::SourceMap sources;
  // Place the fragment where the origin says, as a .policy file would.
  std::string file(origin.line - 1, '\n');
  file += std::string(origin.column - 1, ' ') + text;
  sources.add(origin.file, file);
  ast::Unit unit;
  parse_fragment(text, origin, unit, sink);
  return stockade::diag::render_all(sink, sources);
}
}  // namespace

TEST_CASE("parse: a typical nsjail seccomp_string") {
  ast::Unit unit;
  stockade::diag::Sink sink;
  REQUIRE(parse_fragment("POLICY a { ALLOW { write, execve, newfstat } } USE a DEFAULT KILL", {"t.policy", 1, 1}, unit,
                         sink));
  REQUIRE(unit.statements.size() == 3);
  CHECK(unit.statements[0].kind == ast::Statement::Kind::Policy);
  CHECK(unit.statements[0].policy.entries[0].filters.size() == 3);
  CHECK(unit.statements[1].kind == ast::Statement::Kind::Entry);
  CHECK(unit.statements[1].entry.is_use);
  CHECK(unit.statements[2].kind == ast::Statement::Kind::Default);
}

TEST_CASE("parse: numbers in every notation") {
  ast::Unit unit;
  stockade::diag::Sink sink;
  REQUIRE(parse_fragment("#define A 42\n#define B 0x2a\n#define C 052\n#define D 0b101010\n#define E -1\n#define F 0",
                         {"t.policy", 1, 1}, unit, sink));
  REQUIRE(unit.statements.size() == 6);
  CHECK(unit.statements[0].value->number == 42);
  CHECK(unit.statements[1].value->number == 42);
  CHECK(unit.statements[2].value->number == 42);
  CHECK(unit.statements[3].value->number == 42);
  CHECK(unit.statements[4].value->number == ~uint64_t{0});
  CHECK(unit.statements[5].value->number == 0);
}

TEST_CASE("parse: comments of both kinds") {
  ast::Unit unit;
  stockade::diag::Sink sink;
  REQUIRE(parse_fragment("/* a\n b */ ALLOW { read } // tail\nDEFAULT KILL", {"t.policy", 1, 1}, unit, sink));
  CHECK(unit.statements.size() == 2);
}

TEST_CASE("parse: syntax error is reported at the token, mapped into the .policy file") {
  CHECK(errors_of("ALLOW { read write }") ==
        "test.policy:1:14: error: syntax error, unexpected identifier, expecting ( or { or } or ,\n"
        "ALLOW { read write }\n"
        "             ^~~~~\n");
  // The fragment starts at line 3, column 11: its first line is shifted,
  // later lines keep their own columns.
  CHECK(errors_of("ALLOW {\n  read )\n}", {"p.policy", 3, 11}) ==
        "p.policy:4:8: error: syntax error, unexpected ), expecting ( or { or } or ,\n"
        "  read )\n"
        "       ^\n");
  CHECK(errors_of("DEFAULT ALLOW $", {"p.policy", 2, 5}) ==
        "p.policy:2:19: error: unexpected character `$'\n"
        "    DEFAULT ALLOW $\n"
        "                  ^\n");
}

TEST_CASE("parse: a lexical error mid-statement is reported alone") {
  CHECK(errors_of("ALLOW { read @ }") ==
        "test.policy:1:14: error: unexpected character `@'\n"
        "ALLOW { read @ }\n"
        "             ^\n");
}

TEST_CASE("parse: lexical errors") {
  CHECK(errors_of("ALLOW { read }\n  /* never closed\n") ==
        "test.policy:2:3: error: unterminated comment: no matching `*/'\n"
        "  /* never closed\n"
        "  ^~\n");
  CHECK(errors_of("#define BIG 0x10000000000000000") ==
        "test.policy:1:13: error: number `0x10000000000000000' out of range\n"
        "#define BIG 0x10000000000000000\n"
        "            ^~~~~~~~~~~~~~~~~~~\n");
  CHECK(errors_of("#define BAD 0x") ==
        "test.policy:1:13: error: malformed number `0x'\n"
        "#define BAD 0x\n"
        "            ^~\n");
}
