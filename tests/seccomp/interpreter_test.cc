// SPDX-License-Identifier: Apache-2.0
// The interpreter's checker rejects what the kernel rejects; its execution
// follows classic-BPF semantics.
#include <doctest/doctest.h>

#include "interpreter.h"

using namespace stockade::seccomp;

namespace {
Insn S(uint16_t code, uint32_t k) { return Insn{code, 0, 0, k}; }
Insn J(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return Insn{code, jt, jf, k}; }
}  // namespace

TEST_CASE("verify: accepts a minimal filter") { CHECK(verify({S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)}).empty()); }

TEST_CASE("verify: rejects what the kernel rejects") {
  CHECK(verify({}) == "empty program");
  CHECK(verify(Program(4097, S(BPF_RET | BPF_K, 0))) ==
        "program has 4097 instructions, over the kernel limit of 4096 (BPF_MAXINSNS)");
  CHECK(verify({S(BPF_LD | BPF_B | BPF_ABS, 0), S(BPF_RET | BPF_K, 0)}) ==
        "instruction 0: opcode 48 is not allowed in seccomp");
  CHECK(verify({S(BPF_LD | BPF_W | BPF_ABS, 64), S(BPF_RET | BPF_K, 0)}) ==
        "instruction 0: load offset 64 is outside struct seccomp_data or unaligned");
  CHECK(verify({S(BPF_LD | BPF_W | BPF_ABS, 2), S(BPF_RET | BPF_K, 0)}) ==
        "instruction 0: load offset 2 is outside struct seccomp_data or unaligned");
  CHECK(verify({S(BPF_ALU | BPF_DIV | BPF_K, 0), S(BPF_RET | BPF_K, 0)}) == "instruction 0: division by constant zero");
  CHECK(verify({S(BPF_ALU | BPF_LSH | BPF_K, 32), S(BPF_RET | BPF_K, 0)}) == "instruction 0: shift by 32 or more");
  CHECK(verify({J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), S(BPF_RET | BPF_K, 0)}) ==
        "instruction 0: jump out of the program");
  CHECK(verify({S(BPF_JMP | BPF_JA, 1), S(BPF_RET | BPF_K, 0)}) == "instruction 0: jump out of the program");
  CHECK(verify({S(BPF_LD | BPF_W | BPF_ABS, 0)}) == "the last instruction is not a return");
  CHECK(verify({S(BPF_ST, 16), S(BPF_RET | BPF_K, 0)}) ==
        "instruction 0: scratch memory index 16 >= 16 (BPF_MEMWORDS)");
  CHECK(verify({S(BPF_LD | BPF_MEM, 3), S(BPF_RET | BPF_A, 0)}) ==
        "instruction 0: reads scratch memory M[3] before writing it");
  // Written on one path only: still rejected.
  CHECK(verify({J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), S(BPF_ST, 3), S(BPF_LD | BPF_MEM, 3), S(BPF_RET | BPF_A, 0)}) ==
        "instruction 2: reads scratch memory M[3] before writing it");
  CHECK(verify({S(BPF_ST, 3), S(BPF_LD | BPF_MEM, 3), S(BPF_RET | BPF_A, 0)}).empty());
}

TEST_CASE("run: loads, ALU, X, scratch memory, jumps, counting") {
  Program p = {
      S(BPF_LD | BPF_W | BPF_ABS, arg_lo(0)),  // A = args[0] low
      S(BPF_ALU | BPF_ADD | BPF_K, 5),         // A += 5
      S(BPF_ST, 0),                            // M[0] = A
      S(BPF_LDX | BPF_IMM, 2),                 // X = 2
      S(BPF_ALU | BPF_MUL | BPF_X, 0),         // A *= X
      J(BPF_JMP | BPF_JGT | BPF_K, 20, 1, 0),  // A > 20 ?
      S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      S(BPF_LD | BPF_MEM, 0),  // A = M[0]
      S(BPF_RET | BPF_A, 0),
  };
  REQUIRE(verify(p).empty());
  SeccompData d;
  d.args[0] = 3;  // (3+5)*2 = 16
  CHECK(run(p, d).action == SECCOMP_RET_ALLOW);
  CHECK(run(p, d).executed == 7);
  d.args[0] = 7;  // 24 > 20 -> returns M[0] = 12
  CHECK(run(p, d).action == 12);
  d.args[0] = 0x500000003;  // only the low word is loaded
  CHECK(run(p, d).action == SECCOMP_RET_ALLOW);
}

TEST_CASE("run: reads arch, nr and the high argument word little-endian") {
  Program p = {S(BPF_LD | BPF_W | BPF_ABS, arg_hi(5)), S(BPF_RET | BPF_A, 0)};
  SeccompData d;
  d.args[5] = 0x1234567800000000;
  CHECK(run(p, d).action == 0x12345678);
  p[0].k = kOffArch;
  CHECK(run(p, d).action == AUDIT_ARCH_X86_64);
}
