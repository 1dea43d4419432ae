// SPDX-License-Identifier: Apache-2.0
// Lowering of argument conditions: 64-bit compares as 32-bit halves, Kafel's
// argument widths, masks, and argument-to-argument compares.
#include <doctest/doctest.h>

#include "interpreter.h"
#include "lower_cond.h"
#include "support.h"

using namespace stockade::seccomp;
using test::compile_text;
using test::decide;

namespace {
// Instructions that load an argument's high word.
int high_loads(const Program& p, uint32_t arg) {
  int n = 0;
  for (const Insn& i : p)
    if (i.code == (BPF_LD | BPF_W | BPF_ABS) && i.k == arg_hi(arg)) ++n;
  return n;
}
}  // namespace

TEST_CASE("lower: a 32-bit argument against a small constant reads the low half only") {
  auto c = compile_text("ERRNO(1) { ioctl { cmd == 0x5412 } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  CHECK(high_loads(c.program, 1) == 0);
  CHECK(decide(c.program, "ioctl(1, 0x5412)") == (kErrno | 1));
  // A garbage or sign-extended high half cannot dodge the rule.
  CHECK(decide(c.program, "ioctl(1, 0x5412 | 1 << 32)") == (kErrno | 1));
  CHECK(decide(c.program, "ioctl(1, 0xffffffff00005412)") == (kErrno | 1));
  CHECK(decide(c.program, "ioctl(1, 0x5413)") == kAllow);
}

TEST_CASE("lower: a 32-bit argument against a constant over 32 bits compares all 64") {
  auto c = compile_text("ERRNO(1) { ioctl { cmd == 0x100005412 } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  CHECK(high_loads(c.program, 1) == 1);
  CHECK(decide(c.program, "ioctl(1, 0x100005412)") == (kErrno | 1));
  CHECK(decide(c.program, "ioctl(1, 0x5412)") == kAllow);
}

TEST_CASE("lower: a 64-bit argument compares both halves") {
  auto c = compile_text("ERRNO(1) { mmap { prot == 4 } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  CHECK(high_loads(c.program, 2) == 1);
  CHECK(decide(c.program, "mmap(0, 0, 4)") == (kErrno | 1));
  CHECK(decide(c.program, "mmap(0, 0, 4 | 1 << 32)") == kAllow);
}

TEST_CASE("lower: ordered compares over 64 bits decide on the high half first") {
  auto c =
      compile_text("ERRNO(1) { mmap { len > 0x100000000 } } ERRNO(2) { munmap { len >= 0x1ffffffff } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  CHECK(decide(c.program, "mmap(0, 0x100000001)") == (kErrno | 1));
  CHECK(decide(c.program, "mmap(0, 0x100000000)") == kAllow);
  CHECK(decide(c.program, "mmap(0, 0xffffffff)") == kAllow);
  CHECK(decide(c.program, "mmap(0, 0x200000000)") == (kErrno | 1));
  CHECK(decide(c.program, "munmap(0, 0x1ffffffff)") == (kErrno | 2));
  CHECK(decide(c.program, "munmap(0, 0x1fffffffe)") == kAllow);
  CHECK(decide(c.program, "munmap(0, 0x200000000)") == (kErrno | 2));
}

TEST_CASE("lower: < and <= are negations, unsigned") {
  auto c = compile_text("ERRNO(1) { mmap { len < 10 } } ERRNO(2) { munmap { len <= 10 } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  CHECK(decide(c.program, "mmap(0, 9)") == (kErrno | 1));
  CHECK(decide(c.program, "mmap(0, 10)") == kAllow);
  CHECK(decide(c.program, "mmap(0, -1)") == kAllow);
  CHECK(decide(c.program, "munmap(0, 10)") == (kErrno | 2));
  CHECK(decide(c.program, "munmap(0, 11)") == kAllow);
}

TEST_CASE("lower: masks apply per half; a mask with an empty high half folds it away") {
  auto c = compile_text("ERRNO(1) { clone { (clone_flags & 0x10000000) != 0 } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  CHECK(high_loads(c.program, 0) == 0);
  CHECK(decide(c.program, "clone(0x10000011)") == (kErrno | 1));
  CHECK(decide(c.program, "clone(0x11 | 1 << 40)") == kAllow);
}

TEST_CASE("lower: argument against argument uses X") {
  auto c = compile_text("ERRNO(1) { mremap { old_len < new_len } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  bool uses_x = false;
  for (const Insn& i : c.program)
    if (i.code == (BPF_MISC | BPF_TAX)) uses_x = true;
  CHECK(uses_x);
  CHECK(decide(c.program, "mremap(0, 1, 2)") == (kErrno | 1));
  CHECK(decide(c.program, "mremap(0, 2, 2)") == kAllow);
  CHECK(decide(c.program, "mremap(0, 1 << 32, 2)") == kAllow);
  CHECK(decide(c.program, "mremap(0, 5, 1 << 32)") == (kErrno | 1));
}

TEST_CASE("lower: is_narrow follows Kafel's width rule") {
  Cond c;
  c.kind = Cond::Kind::Cmp;
  c.lhs = Operand{true, 0, 1, 4, ~uint64_t{0}, "cmd", false, nullptr};
  c.rhs = Operand{false, 0xffffffff, 0, 8, ~uint64_t{0}, {}, false, nullptr};
  CHECK(is_narrow(c));
  c.rhs.value = 0x100000000;
  CHECK_FALSE(is_narrow(c));
  c.rhs.value = 1;
  c.lhs.width = 8;
  CHECK_FALSE(is_narrow(c));
  c.lhs.width = 4;
  c.lhs.mask = 0x1ffffffff;
  CHECK_FALSE(is_narrow(c));
}

TEST_CASE("lower: && || ! and the comma") {
  auto c = compile_text("ERRNO(1) { write { fd == 1 && count > 5, !(fd != 2) } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  CHECK(decide(c.program, "write(1, 0, 6)") == (kErrno | 1));
  CHECK(decide(c.program, "write(1, 0, 5)") == kAllow);
  CHECK(decide(c.program, "write(2, 0, 0)") == (kErrno | 1));
  CHECK(decide(c.program, "write(3, 0, 9)") == kAllow);
}
