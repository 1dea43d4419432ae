// SPDX-License-Identifier: Apache-2.0
// The scanner: token kinds, texts and columns, raw seccomp and expect text.
#include <doctest/doctest.h>

#include "frontend/lex.h"

namespace stockade::frontend {
namespace {

std::string kinds(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) out += (out.empty() ? "" : " ") + t.kind + "<" + t.text + ">";
  return out;
}

TEST_SUITE("lexer") {
  TEST_CASE("keywords, names, paths, numbers with and without units") {
    diag::Sink sink;
    auto tokens = lex("t.policy", "tmpfs /tmp size 500MB mode 1777 as 4096 MiB cpu 10s", sink);
    CHECK(kinds(tokens) ==
          "tmpfs<tmpfs> path</tmp> size<size> number with unit<500MB> mode<mode> number<1777> identifier<as> "
          "number<4096> unit<MiB> identifier<cpu> number with unit<10s>");
    CHECK_FALSE(sink.has_errors());
  }

  TEST_CASE("paths with references, lone references, arrows and optional binds") {
    diag::Sink sink;
    auto tokens = lex("t.policy", "bind? ${JOB_DIR}/${MAIN}.py -> /tmp/x rw if !FLAG\ntime_limit ${T}", sink);
    CHECK(kinds(tokens) ==
          "bind?<bind?> path<${JOB_DIR}/${MAIN}.py> -><->> path</tmp/x> rw<rw> if<if> !<!> identifier<FLAG> "
          "time_limit<time_limit> ${...}<${T}>");
    REQUIRE(tokens.size() == 10);
    CHECK(tokens[9].loc.line == 2);
    CHECK(tokens[9].loc.column == 12);
    CHECK(tokens[9].loc.length == 4);
  }

  TEST_CASE("comments and separators; hex numbers; ranges") {
    diag::Sink sink;
    auto tokens = lex("t.policy", "# all comment\nparam X : int in 1..0x10 = 4; # tail", sink);
    CHECK(kinds(tokens) ==
          "param<param> identifier<X> :<:> identifier<int> in<in> number<1> ..<..> number<0x10> =<=> number<4> ;<;>");
  }

  TEST_CASE("dev is a device mount before a path, the option elsewhere") {
    diag::Sink sink;
    auto tokens = lex("t.policy", "dev /dev/null bind /a dev", sink);
    CHECK(kinds(tokens) == "dev node<dev> path</dev/null> bind<bind> path</a> dev<dev>");
  }

  TEST_CASE("strings keep their raw span") {
    diag::Sink sink;
    auto tokens = lex("t.policy", R"(set HOME = "a \"b\" ${X} \$Y")", sink);
    CHECK(kinds(tokens) == R"(set<set> identifier<HOME> =<=> string<"a \"b\" ${X} \$Y">)");
  }

  TEST_CASE("seccomp bodies are captured raw, braces in Kafel comments do not count") {
    diag::Sink sink;
    auto tokens =
        lex("t.policy",
            "seccomp {\n#define X 1\nPOLICY p { ALLOW { read } } // }\n/* { */ USE p DEFAULT KILL\n}\nhostname", sink);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].kind == "seccomp block");
    CHECK(tokens[1].kind == "hostname");
    CHECK(tokens[1].loc.line == 6);
    CHECK_FALSE(sink.has_errors());
  }

  TEST_CASE("a stray character is an error with its location") {
    diag::Sink sink;
    auto tokens = lex("t.policy", "hostname @", sink);
    CHECK(tokens.size() == 1);
    REQUIRE(sink.all().size() == 1);
    CHECK(sink.all()[0].message == "stray character '@'");
    CHECK(sink.all()[0].location.column == 10);
  }
}

}  // namespace
}  // namespace stockade::frontend
