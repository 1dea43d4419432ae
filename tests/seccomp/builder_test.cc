// SPDX-License-Identifier: Apache-2.0
// Assembly: labels to offsets, shared returns, trampolines for far jumps,
// and the kernel's length limit.
#include <doctest/doctest.h>

#include "builder.h"
#include "interpreter.h"
#include "support.h"

using namespace stockade::seccomp;

TEST_CASE("builder: conditional jumps beyond 255 get a ja trampoline") {
  Builder b;
  Label far = b.label(), near = b.label();
  b.stmt(BPF_LD | BPF_W | BPF_ABS, kOffNr);
  b.cond(BPF_JMP | BPF_JEQ | BPF_K, 7, far, near);
  b.bind(near);
  for (int i = 0; i < 300; ++i) b.stmt(BPF_ALU | BPF_ADD | BPF_K, 1);
  b.ja(b.ret(kAllow));
  b.bind(far);
  b.stmt(BPF_ALU | BPF_AND | BPF_K, 0xff);  // not a ret: no copy, a trampoline
  b.ja(b.ret(kErrno | 7));
  Program p;
  std::string error;
  REQUIRE(b.assemble(p, error));
  CHECK(verify(p).empty());
  SeccompData d;
  d.nr = 7;
  CHECK(run(p, d).action == (kErrno | 7));
  d.nr = 8;
  CHECK(run(p, d).action == kAllow);
  CHECK(p[2].code == (BPF_JMP | BPF_JA));  // the trampoline sits right after the jump
}

TEST_CASE("builder: far jumps to a ret share one copy of the right ret within reach") {
  // Many checks, each jumping to one of three far returns; the copies of a
  // return must be that return (a copy once came from the wrong instruction)
  // and be shared: one per action per 255 instructions, not one per jump.
  Builder b;
  b.stmt(BPF_LD | BPF_W | BPF_ABS, kOffNr);
  const Action actions[] = {kAllow, kErrno | 1, kLog};
  for (uint32_t i = 0; i < 400; ++i) {
    Label next = b.label();
    b.cond(BPF_JMP | BPF_JEQ | BPF_K, i, b.ret(actions[i % 3]), next);
    b.bind(next);
  }
  b.ja(b.ret(kKillProcess));
  Program p;
  std::string error;
  REQUIRE(b.assemble(p, error));
  CHECK(verify(p).empty());
  for (uint32_t i = 0; i < 402; ++i) {
    SeccompData d;
    d.nr = i;
    CHECK_MESSAGE(run(p, d).action == (i < 400 ? actions[i % 3] : kKillProcess), i);
  }
  size_t rets = 0;
  for (const Insn& insn : p) rets += BPF_CLASS(insn.code) == BPF_RET;
  MESSAGE(p.size(), " instructions, ", rets, " returns");
  CHECK(p.size() < 400 + 1 + 4 + 12);  // the jumps, the load, the returns, a few copies
}

TEST_CASE("builder: a jump to the next instruction costs nothing") {
  Builder b;
  Label next = b.label();
  b.ja(next);
  b.bind(next);
  b.ja(b.ret(kAllow));
  Program p;
  std::string error;
  REQUIRE(b.assemble(p, error));
  CHECK(p.size() == 1);
}

TEST_CASE("builder: the 4096-instruction limit is named") {
  Builder b;
  for (int i = 0; i < 4096; ++i) b.stmt(BPF_ALU | BPF_ADD | BPF_K, 1);
  b.ja(b.ret(kAllow));
  Program p;
  std::string error;
  CHECK_FALSE(b.assemble(p, error));
  CHECK(error == "seccomp program has 4097 instructions, over the kernel limit of 4096 (BPF_MAXINSNS)");
}

TEST_CASE("builder: a policy too large for the kernel fails to compile with the limit named") {
  std::string text = "ERRNO(1) {";
  for (int i = 0; i < 700; ++i)
    text += std::string(i ? "," : "") + " write { fd == " + std::to_string(i) + " && count == 1 }";
  text += " } DEFAULT ALLOW";
  auto c = test::compile_text(text);
  CHECK_FALSE(c.ok);
  CHECK(c.diagnostics.find("over the kernel limit of 4096 (BPF_MAXINSNS)") != std::string::npos);
}
