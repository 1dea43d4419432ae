// SPDX-License-Identifier: Apache-2.0
// Name resolution: constants, syscalls, argument names and widths, USE,
// DEFAULT, ABI opt-ins, and the exact text of each error.
#include <doctest/doctest.h>

#include "support.h"

using namespace stockade::seccomp;
using test::compile_text;

TEST_CASE("resolve: USE pastes rules in place, in text order") {
  auto c = compile_text(
      "POLICY a { ERRNO(1) { read } }\n"
      "POLICY b { ALLOW { write }, USE a, ERRNO(2) { read } }\n"
      "USE b DEFAULT KILL");
  REQUIRE(c.ok);
  REQUIRE(c.rules.rules.size() == 3);
  CHECK(c.rules.rules[0].syscall == "write");
  CHECK(c.rules.rules[1].syscall == "read");
  CHECK(c.rules.rules[1].action == (kErrno | 1));
  CHECK(c.rules.rules[2].action == (kErrno | 2));
}

TEST_CASE("resolve: builtin argument names carry the kernel's widths") {
  auto c = compile_text("ALLOW { ioctl { cmd == 1 }, mmap { prot == 1 } }");
  REQUIRE(c.ok);
  CHECK(c.rules.rules[0].cond->lhs.width == 4);
  CHECK(c.rules.rules[0].cond->lhs.arg == 1);
  CHECK(c.rules.rules[1].cond->lhs.width == 8);
  CHECK(c.rules.rules[1].cond->lhs.arg == 2);
}

TEST_CASE("resolve: declared names are 64 bits wide, as in Kafel") {
  auto c = compile_text("ALLOW { ioctl(a, b) { b == 1 }, SYSCALL[500](x, y) { y == 2 } }");
  REQUIRE(c.ok);
  CHECK(c.rules.rules[0].cond->lhs.width == 8);
  CHECK(c.rules.rules[1].by_number);
  CHECK(c.rules.rules[1].number == 500);
  CHECK(c.rules.rules[1].cond->lhs.width == 8);
}

TEST_CASE("resolve: constants come before argument names, as in Kafel") {
  auto c = compile_text("#define fd 7\nALLOW { write { fd == 7 } }");
  REQUIRE(c.ok);
  // 7 == 7 folds to true.
  CHECK(c.rules.rules[0].cond->kind == Cond::Kind::True);
}

TEST_CASE("resolve: a #define'd name stands for a custom syscall number") {
  auto c = compile_text("#define mysyscall 333\nALLOW { mysyscall }");
  REQUIRE(c.ok);
  CHECK(c.rules.rules[0].by_number);
  CHECK(c.rules.rules[0].number == 333);
}

TEST_CASE("resolve: aliases for kernel-internal names") {
  auto c = compile_text("ALLOW { newfstat, newuname, umount }");
  REQUIRE(c.ok);
  CHECK(c.rules.rules[0].syscall == "fstat");
  CHECK(c.rules.rules[1].syscall == "uname");
  CHECK(c.rules.rules[2].syscall == "umount2");
}

TEST_CASE("resolve: errors name the token") {
  CHECK(compile_text("ALLOW { frobnicate }").diagnostics ==
        "test.policy:1:9: error: unknown syscall `frobnicate'\n"
        "ALLOW { frobnicate }\n"
        "        ^~~~~~~~~~\n");
  CHECK(compile_text("USE nothing DEFAULT ALLOW").diagnostics ==
        "test.policy:1:5: error: undefined policy `nothing'\n"
        "USE nothing DEFAULT ALLOW\n"
        "    ^~~~~~~\n");
  CHECK(compile_text("POLICY a { }\nPOLICY a { }").diagnostics ==
        "test.policy:2:8: error: redefinition of policy `a'\n"
        "POLICY a { }\n"
        "       ^\n");
  CHECK(compile_text("ALLOW { write { count == 1 && fdd == 2 } }").diagnostics ==
        "test.policy:1:31: error: undefined argument `fdd' for `write'; did you mean 'fd'?\n"
        "ALLOW { write { count == 1 && fdd == 2 } }\n"
        "                              ^~~\n");
  CHECK(compile_text("ALLOW { kcmp { pid1 == 1 } }").diagnostics.find("error: undefined argument") ==
        std::string::npos);  // kcmp is in the table
  // vserver is an unimplemented number: neither the kernel nor Kafel names
  // its arguments.
  CHECK(compile_text("ALLOW { vserver { func == 1 } }").diagnostics ==
        "test.policy:1:19: error: undefined argument `func': `vserver' has no known argument names; "
        "declare them, e.g. vserver(a, b) { a == 1 }\n"
        "ALLOW { vserver { func == 1 } }\n"
        "                  ^~~~\n");
  CHECK(compile_text("ALLOW { write(a, a) { a == 1 } }").diagnostics ==
        "test.policy:1:18: error: redefinition of argument `a'\n"
        "ALLOW { write(a, a) { a == 1 } }\n"
        "                 ^\n");
  CHECK(compile_text("ALLOW { write(a, b, c, d, e, f, g) }").diagnostics ==
        "test.policy:1:33: error: too many arguments declared for `write' (at most 6)\n"
        "ALLOW { write(a, b, c, d, e, f, g) }\n"
        "                                ^\n");
  CHECK(compile_text("ERRNO(65536) { read }").diagnostics ==
        "test.policy:1:7: error: ERRNO value 65536 out of range (0-65535)\n"
        "ERRNO(65536) { read }\n"
        "      ^~~~~\n");
  CHECK(compile_text("DEFAULT KILL\nDEFAULT ALLOW").diagnostics ==
        "test.policy:2:1: error: DEFAULT given twice (first at line 1)\n"
        "DEFAULT ALLOW\n"
        "^~~~~~~\n");
  CHECK(compile_text("#define A 1\n#define A 2").diagnostics ==
        "test.policy:2:9: error: redefinition of constant `A' with a different value\n"
        "#define A 2\n"
        "        ^\n");
  CHECK(compile_text("#define A 1\n#define A 1\nALLOW { SYSCALL[A] }").ok);
  CHECK(compile_text("ALLOW { SYSCALL[-1] }").diagnostics ==
        "test.policy:1:9: error: syscall number 18446744073709551615 is out of range (0-1073741823); numbers "
        "with the x32 bit are decided by the foreign-ABI check\n"
        "ALLOW { SYSCALL[-1] }\n"
        "        ^~~~~~~~~~~\n");
  // `|' with an argument and `&' between arguments are Kafel's (accepted
  // since issue 11); only a tree needing more scratch words than the
  // filter has is refused.
  CHECK(compile_text("ALLOW { write { fd | 1 == 1 } }").ok);
  CHECK(compile_text("ALLOW { write { (fd & count) == 1 } }").ok);
  {
    // Each level of (x | y) & (x | y) pairs needs one more scratch word.
    std::string e = "(fd | count)";
    for (int i = 0; i < 8; ++i) e = "(" + e + " & " + e + ")";
    std::string text = "ALLOW { write { " + e + " == 1 } }";
    std::string d = compile_text(text).diagnostics;
    CHECK(d.substr(0, d.find('\n')) ==
          "test.policy:1:18: error: bitwise expression too complex: it needs more than 7 of the filter's 16 "
          "scratch words");
  }
  CHECK(compile_text("ABI arm\nDEFAULT ALLOW").diagnostics ==
        "test.policy:1:5: error: unknown foreign ABI `arm' (expected x32 or i386)\n"
        "ABI arm\n"
        "    ^~~\n");
  CHECK(compile_text("ERRNO(EPERM) { read }").diagnostics ==
        "test.policy:1:7: error: undefined constant `EPERM'\n"
        "ERRNO(EPERM) { read }\n"
        "      ^~~~~\n");
}

TEST_CASE("resolve: no DEFAULT means KILL") {
  auto c = compile_text("ALLOW { read }");
  REQUIRE(c.ok);
  CHECK_FALSE(c.rules.has_default);
  CHECK(c.rules.default_action == kKillThread);
}
