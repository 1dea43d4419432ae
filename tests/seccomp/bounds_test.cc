// SPDX-License-Identifier: Apache-2.0
// Inputs that used to crash the compiler (issue 11): expressions of tens of
// thousands of operands overflowed the stack, and policies USEing the
// previous one twice expanded exponentially. Both are now bounded: one
// error at the operator past Kafel's depth of 200, and USE copies of a rule
// already pasted are dropped, so expansion is linear in the text.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "support.h"

using namespace stockade::seccomp;

namespace {
std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string first_line(const std::string& diagnostics) { return diagnostics.substr(0, diagnostics.find('\n')); }
}  // namespace

TEST_CASE("bounds: 20000 `| 2` operands are one error, not a stack overflow") {
  test::Compiled c = test::compile_text("ALLOW { read { fd == 1" + repeat(" | 2", 20000) + " } } DEFAULT KILL");
  CHECK_FALSE(c.ok);
  // The operator that would make the tree 201 deep: the 201st `|`.
  CHECK(first_line(c.diagnostics) == "test.policy:1:" + std::to_string(24 + 200 * 4) +
                                         ": error: expression nested too deeply (more than 200 levels, Kafel's limit)");
}

TEST_CASE("bounds: a 20000-long && chain, deep ! and || chains are one error each") {
  for (const std::string& text :
       {"ALLOW { read { fd == 1" + repeat(" && fd == 1", 20000) + " } }",
        "ALLOW { read { fd == 1" + repeat(" || fd == 1", 20000) + " } }",
        "ALLOW { read { fd == 1" + repeat(", fd == 1", 20000) + " } }",
        "ALLOW { read { " + repeat("!", 20000) + "(fd == 1) } }",
        "ALLOW { read { fd == " + repeat("(1 | ", 20000) + "1" + repeat(")", 20000) + " } }"}) {
    test::Compiled c = test::compile_text(text);
    CHECK_FALSE(c.ok);
    CHECK(first_line(c.diagnostics).find("error: expression nested too deeply") != std::string::npos);
  }
}

TEST_CASE("bounds: depth 200 is accepted, as by Kafel") {
  // `fd == 1` is depth 1; each `&&` adds one.
  test::Compiled c = test::compile_text("ALLOW { read { fd == 1" + repeat(" && fd == 1", 199) + " } } DEFAULT KILL");
  CHECK_MESSAGE(c.ok, c.diagnostics);
  CHECK(test::decide(c.program, "read(1)") == kAllow);
  CHECK(test::decide(c.program, "read(2)") == kKillThread);
  test::Compiled over = test::compile_text("ALLOW { read { fd == 1" + repeat(" && fd == 1", 200) + " } }");
  CHECK_FALSE(over.ok);
}

TEST_CASE("bounds: 29 policies each USEing the previous twice expand linearly") {
  std::string text = "POLICY p0 { ALLOW { read { fd == 0 } } }\n";
  for (int i = 1; i < 30; ++i)
    text += "POLICY p" + std::to_string(i) + " { USE p" + std::to_string(i - 1) + ", USE p" + std::to_string(i - 1) +
            ", ERRNO(" + std::to_string(i) + ") { SYSCALL[" + std::to_string(100 + i) + "] } }\n";
  text += "USE p29 DEFAULT KILL";
  auto start = std::chrono::steady_clock::now();
  test::Compiled c = test::compile_text(text);
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  // One rule per filter of the text, whatever the number of USE paths.
  CHECK(c.rules.rules.size() == 30);
  CHECK(test::decide(c.program, "read(0)") == kAllow);
  CHECK(test::decide(c.program, "read(1)") == kKillThread);
  CHECK(test::decide(c.program, "SYSCALL[101]") == (kErrno | 1));
  CHECK(test::decide(c.program, "SYSCALL[129]") == (kErrno | 29));
  // Not a timing test: a generous bound that exponential expansion (2^29
  // rules) could never meet, printed for the record.
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("29-level USE chain compiled in ", s, " s");
}

TEST_CASE("bounds: a second USE of a policy keeps first-match order") {
  test::Compiled c = test::compile_text(
      "POLICY a { ERRNO(1) { read { fd == 1 } } }\nPOLICY b { ALLOW { read } }\n"
      "USE a, USE b, USE a DEFAULT KILL");
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  CHECK(c.rules.rules.size() == 2);
  CHECK(test::decide(c.program, "read(1)") == (kErrno | 1));
  CHECK(test::decide(c.program, "read(2)") == kAllow);
}
