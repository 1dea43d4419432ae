// SPDX-License-Identifier: Apache-2.0
// The interpreter against the real kernel: each program is installed in a
// forked child, which issues one syscall; what the child observes must be
// what the interpreter's decision implies.
#include <doctest/doctest.h>

#include "interpreter.h"
#include "random_policy.h"
#include "skip.h"
#include "support.h"

using namespace stockade::seccomp;
using namespace stockade::seccomp::test;

namespace {
// Errno values no harmless syscall returns by itself, so an observed one
// can only have come from the filter.
const std::vector<Action> kKernelActions = {kAllow,       kLog,         kKillThread, kKillProcess, kErrno | 200,
                                            kErrno | 201, kErrno | 222, kTrap | 1,   kTrace | 5,   kUserNotif};

void compare(const Program& p, Via via, const SeccompData& d, const std::string& context) {
  Observed want = expected_observation(run(p, d).action);
  Observed got = run_in_kernel(p, via, d.nr & ~kX32Bit, d.args);
  CHECK_MESSAGE(got == want, context, ": nr ", d.nr, " args ", d.args[0], ",", d.args[1], " interpreter says ",
                to_string(want), ", kernel did ", to_string(got));
}
}  // namespace

TEST_CASE("kernel: random policies decide the same in the kernel as in the interpreter") {
  size_t cases = 0;
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    std::mt19937_64 rng(seed * 7919);
    RandomPolicy policy = random_policy(rng, harmless_pool(), kKernelActions);
    // The child reports over a pipe and exits, and a sanitizer runtime may
    // touch memory and signal stacks on the way: those syscalls stay allowed
    // (none of them is in the probed pool).
    Compiled c = compile_text(
        "ALLOW { write, exit_group, exit, mmap, munmap, madvise, sigaltstack, rt_sigprocmask, rt_sigaction }\n" +
        policy.text);
    REQUIRE_MESSAGE(c.ok, c.diagnostics);
    for (const SeccompData& d : probe_cases(rng, harmless_pool(), boundary_values(policy.constants), 20)) {
      compare(c.program, Via::Native, d, policy.text);
      ++cases;
    }
  }
  MESSAGE(cases, " syscalls compared against the kernel");
}

TEST_CASE("kernel: 32-bit arguments ignore the high half in both") {
  Compiled c = compile_text("ERRNO(200) { getpgid { pid == 5 } } DEFAULT ALLOW");
  REQUIRE(c.ok);
  for (uint64_t pid : {uint64_t{5}, uint64_t{0xdeadbeef00000005}, uint64_t{6}, uint64_t{1} << 32}) {
    SeccompData d;
    d.nr = 121;
    d.args[0] = pid;
    compare(c.program, Via::Native, d, "getpgid");
  }
}

TEST_CASE("kernel: Kafel's general & and | (scratch words, X) decide as in the interpreter") {
  // getpgid ignores its other arguments; the filter reads them anyway.
  Compiled c = compile_text(
      "ERRNO(201) { getpgid(a, b, c, d) { ((a | b) & (c | d)) == 5 } }\n"
      "ERRNO(202) { getpgid(a, b, c, d) { (a & b) == (c | d) } } DEFAULT ALLOW");
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  const uint64_t values[] = {0, 5, 7, 1, 4, uint64_t{5} << 32, 0xffffffff, ~uint64_t{0}};
  for (uint64_t a : values)
    for (uint64_t b : {uint64_t{0}, uint64_t{5}, uint64_t{1} << 40}) {
      SeccompData d;
      d.nr = 121;
      d.args[0] = a;
      d.args[1] = b;
      d.args[2] = 7;
      d.args[3] = a;
      compare(c.program, Via::Native, d, "getpgid");
    }
}

TEST_CASE("kernel: the x32 bit and int 0x80 are killed, as the interpreter says") {
  Compiled c = compile_text("ERRNO(200) { getppid } DEFAULT ALLOW");
  REQUIRE(c.ok);
  uint64_t none[6] = {0, 0, 0, 0, 0, 0};
  SeccompData x32;
  x32.nr = kX32Bit | 110;
  CHECK(run(c.program, x32).action == kKillProcess);
  CHECK(run_in_kernel(c.program, Via::X32Bit, 110, none) == Observed{Outcome::Killed, 0});
  CHECK(run_in_kernel(c.program, Via::Native, 110, none) == Observed{Outcome::Errno, 200});
  if (!int80_available()) {
    stockade::testing::skip("int 0x80 does not reach the kernel here (IA32 emulation disabled)");
    return;
  }
  SeccompData i386;
  i386.arch = AUDIT_ARCH_I386;
  i386.nr = 64;  // i386 getppid
  CHECK(run(c.program, i386).action == kKillProcess);
  CHECK(run_in_kernel(c.program, Via::Int80, 64, none) == Observed{Outcome::Killed, 0});
}

TEST_CASE("kernel: opted-in foreign ABIs follow the same rules by name") {
  Compiled c = compile_text("ABI i386\nABI x32\nERRNO(201) { getppid } DEFAULT ALLOW");
  REQUIRE(c.ok);
  uint64_t none[6] = {0, 0, 0, 0, 0, 0};
  SeccompData x32;
  x32.nr = kX32Bit | 110;
  CHECK(run(c.program, x32).action == (kErrno | 201));
  CHECK(run_in_kernel(c.program, Via::X32Bit, 110, none) == Observed{Outcome::Errno, 201});
  if (!int80_available()) {
    stockade::testing::skip("int 0x80 does not reach the kernel here (IA32 emulation disabled)");
    return;
  }
  CHECK(run_in_kernel(c.program, Via::Int80, 64, none) == Observed{Outcome::Errno, 201});
  CHECK(run_in_kernel(c.program, Via::Int80, 20, none) == Observed{Outcome::Allowed, 0});  // i386 getpid
}

// Opcodes our compiler never emits but the interpreter accepts: division by
// an X of zero ends the program with 0 (kill) and shifts by X use its low 5
// bits, in the kernel and so in the interpreter.
TEST_CASE("kernel: division by X == 0 and shifts by X >= 32 agree") {
  auto S = [](uint16_t code, uint32_t k) { return Insn{code, 0, 0, k}; };
  auto J = [](uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return Insn{code, jt, jf, k}; };
  const uint32_t kArg0 = 16;  // offsetof(seccomp_data, args[0])
  // Everything but getpgid is allowed, so the child can report.
  Program head = {S(BPF_LD | BPF_W | BPF_ABS, 0), J(BPF_JMP | BPF_JEQ | BPF_K, 121, 1, 0), S(BPF_RET | BPF_K, kAllow),
                  S(BPF_LD | BPF_W | BPF_ABS, kArg0), S(BPF_MISC | BPF_TAX, 0)};
  Program div = head;
  for (Insn i : {S(BPF_LD | BPF_IMM, 7), S(BPF_ALU | BPF_DIV | BPF_X, 0), S(BPF_RET | BPF_K, kErrno | 200)})
    div.push_back(i);
  Program shift = head;
  for (Insn i : {S(BPF_LD | BPF_IMM, 1), S(BPF_ALU | BPF_LSH | BPF_X, 0), J(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
                 S(BPF_RET | BPF_K, kErrno | 201), S(BPF_RET | BPF_K, kErrno | 202)})
    shift.push_back(i);
  REQUIRE(verify(div).empty());
  REQUIRE(verify(shift).empty());
  for (uint64_t x : {uint64_t{0}, uint64_t{1}, uint64_t{32}, uint64_t{33}}) {
    SeccompData d;
    d.nr = 121;
    d.args[0] = x;
    compare(div, Via::Native, d, "div by X");
    compare(shift, Via::Native, d, "shift by X");
  }
  SeccompData zero;
  zero.nr = 121;
  CHECK(run(div, zero).action == 0);
}
