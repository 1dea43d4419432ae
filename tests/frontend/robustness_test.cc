// SPDX-License-Identifier: Apache-2.0
// Any prefix or byte-flipped variant of a real policy must give diagnostics
// or IR, never a crash or a hang: the lexer, parser and checks stay in bounds.
#include <doctest/doctest.h>

#include "files.h"
#include "helpers.h"

namespace stockade::frontend {
namespace {

std::string read_fixture(const std::string& name) {
  return stockade::testing::read_file(test::fixtures() + "/" + name);
}

TEST_SUITE("robustness") {
  TEST_CASE("every prefix of the python fixture compiles or reports an error") {
    const std::string text = read_fixture("windmill_python3.policy");
    REQUIRE(text.size() > 1000);
    size_t failed = 0;
    for (size_t n = 0; n <= text.size(); ++n) {
      test::Compiled c = test::compile_snippet(text.substr(0, n));
      // A failure must say why; a success must produce the policy.
      if (!c.ok) {
        ++failed;
        CHECK_FALSE(c.diagnostics.empty());
      }
    }
    CHECK(failed > 0);
    CHECK(test::compile_snippet(text).ok);
  }

  TEST_CASE("replacing any byte with a brace, quote or dollar never crashes") {
    const std::string text = read_fixture("windmill_python3.policy");
    for (char c : std::string("{}\"$\\#/")) {
      for (size_t i = 0; i < text.size(); i += 7) {
        std::string mutated = text;
        mutated[i] = c;
        test::Compiled r = test::compile_snippet(mutated);
        CHECK((r.ok || !r.diagnostics.empty()));
      }
    }
  }
}

}  // namespace
}  // namespace stockade::frontend
