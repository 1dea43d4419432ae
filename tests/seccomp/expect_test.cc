// SPDX-License-Identifier: Apache-2.0
// `expect` lines: syntax, ABIs, arguments, and failure text.
#include <doctest/doctest.h>

#include "expect.h"
#include "support.h"

using namespace stockade::seccomp;

namespace {
std::string check(const std::string& policy, const std::string& expect_text) {
  auto c = test::compile_text(policy);
  REQUIRE(c.ok);
  stockade::diag::Sink sink;
  stockade::diag::SourceMap sources;
  sources.add("p.policy", "  expect " + expect_text);
  stockade::diag::Location where{"p.policy", 1, 10, 1};
  auto parsed = parse_expect(expect_text, where, c.constants, sink);
  if (parsed) check_expect(c.program, *parsed, where, sink);
  return stockade::diag::render_all(sink, sources);
}
const char* kPolicy =
    "#define TIOCSTI 0x5412\n"
    "ERRNO(1) { ptrace }\n"
    "KILL_PROCESS { ioctl { cmd == TIOCSTI } }\n"
    "DEFAULT ALLOW";
}  // namespace

TEST_CASE("expect: passing cases print nothing") {
  CHECK(check(kPolicy, "ptrace -> ERRNO(1)") == "");
  CHECK(check(kPolicy, "ioctl(1, 0x5412) -> KILL_PROCESS") == "");
  CHECK(check(kPolicy, "ioctl(1, TIOCSTI | 1 << 32) -> KILL_PROCESS") == "");
  CHECK(check(kPolicy, "ioctl(1, 0b101) -> ALLOW") == "");
  CHECK(check(kPolicy, "x32 read -> KILL_PROCESS") == "");
  CHECK(check(kPolicy, "i386 ptrace -> KILL_PROCESS") == "");
  CHECK(check(kPolicy, "x86_64 SYSCALL[101] -> ERRNO(1)") == "");
  CHECK(check(kPolicy, "read(-1) -> ALLOW") == "");
}

TEST_CASE("expect: a wrong decision is an error at the syscall") {
  CHECK(check(kPolicy, "ptrace -> ERRNO(2)") ==
        "p.policy:1:10: error: expect failed: ptrace gets ERRNO(1), not ERRNO(2)\n"
        "  expect ptrace -> ERRNO(2)\n"
        "         ^~~~~~\n");
  CHECK(check(kPolicy, "ioctl(1, 0x5413) -> KILL_PROCESS") ==
        "p.policy:1:10: error: expect failed: ioctl(1, 21523) gets ALLOW, not KILL_PROCESS\n"
        "  expect ioctl(1, 0x5413) -> KILL_PROCESS\n"
        "         ^~~~~\n");
  CHECK(check(kPolicy, "x32 read -> ALLOW") ==
        "p.policy:1:14: error: expect failed: x32 read gets KILL_PROCESS, not ALLOW\n"
        "  expect x32 read -> ALLOW\n"
        "             ^~~~\n");
}

TEST_CASE("expect: syntax errors") {
  CHECK(check(kPolicy, "ptrace ERRNO(1)") ==
        "p.policy:1:17: error: expected `->' and the expected action\n"
        "  expect ptrace ERRNO(1)\n"
        "                ^~~~~\n");
  CHECK(check(kPolicy, "frob -> ALLOW") ==
        "p.policy:1:10: error: unknown syscall `frob'\n"
        "  expect frob -> ALLOW\n"
        "         ^~~~\n");
  CHECK(check(kPolicy, "socketcall -> ALLOW") ==
        "p.policy:1:10: error: `socketcall' is not a syscall on x86_64\n"
        "  expect socketcall -> ALLOW\n"
        "         ^~~~~~~~~~\n");
  CHECK(check(kPolicy, "read(1, FOO) -> ALLOW") ==
        "p.policy:1:18: error: undefined constant `FOO'\n"
        "  expect read(1, FOO) -> ALLOW\n"
        "                 ^~~\n");
  CHECK(check(kPolicy, "read -> MAYBE") ==
        "p.policy:1:18: error: expected an action (ALLOW, LOG, KILL, KILL_PROCESS, USER_NOTIF, ERRNO(n), TRAP(n), "
        "TRACE(n))\n"
        "  expect read -> MAYBE\n"
        "                 ^~~~~\n");
  CHECK(check(kPolicy, "read(1,2,3,4,5,6,7) -> ALLOW") ==
        "p.policy:1:26: error: a syscall has at most 6 arguments\n"
        "  expect read(1,2,3,4,5,6,7) -> ALLOW\n"
        "                         ^\n");
}
