// SPDX-License-Identifier: Apache-2.0
// Dispatch on the syscall number: ranges of equal decision, the balanced
// search, constant leaves that never load an argument, and the simplifier.
#include <doctest/doctest.h>

#include "dispatch.h"
#include "interpreter.h"
#include "support.h"

using namespace stockade::seccomp;
using test::compile_text;
using test::decide;

namespace {
// True when some path from the start to a `ret` for syscall `call` loads an
// argument: run it and watch which words are read.
bool loads_argument(const Program& p, uint32_t nr) {
  // Walk the program as the interpreter does, recording loads.
  SeccompData d;
  d.nr = nr;
  size_t pc = 0;
  uint32_t A = 0;
  while (pc < p.size()) {
    const Insn& i = p[pc];
    if (i.code == (BPF_LD | BPF_W | BPF_ABS)) {
      if (i.k >= kOffArgs) return true;
      A = i.k == kOffNr ? d.nr : d.arch;
    }
    if (BPF_CLASS(i.code) == BPF_RET) return false;
    if (BPF_CLASS(i.code) == BPF_JMP) {
      if (BPF_OP(i.code) == BPF_JA) {
        pc += 1 + i.k;
        continue;
      }
      bool taken = BPF_OP(i.code) == BPF_JEQ ? A == i.k : BPF_OP(i.code) == BPF_JGE ? A >= i.k : A > i.k;
      pc += 1 + (taken ? i.jt : i.jf);
      continue;
    }
    ++pc;
  }
  return false;
}
}  // namespace

TEST_CASE("dispatch: number-only decisions load no argument (the kernel can cache them)") {
  auto c = compile_text(
      "ERRNO(1) { ptrace, mount }\n"
      "ERRNO(2) { ioctl { cmd == 0x5412 } }\n"
      "DEFAULT ALLOW");
  REQUIRE(c.ok);
  for (uint32_t nr = 0; nr < 460; ++nr) {
    bool expect_load = nr == 16;  // ioctl
    CHECK_MESSAGE(loads_argument(c.program, nr) == expect_load, "nr ", nr);
  }
}

TEST_CASE("dispatch: ranges of equal decision are merged") {
  RuleSet set;
  set.default_action = kAllow;
  for (const char* name : {"read", "write", "open"}) {  // 0, 1, 2: one range
    Rule r;
    r.syscall = name;
    r.action = kErrno | 1;
    set.rules.push_back(r);
  }
  PlanStorage storage;
  AbiPlan plan = plan_abi(set, Abi::X86_64, 0, kX32Bit - 1, true, storage);
  Builder b;
  emit_dispatch(plan, b, true);
  Program p;
  std::string error;
  REQUIRE(b.assemble(p, error));
  // Two ranges ([0,2] and [3,...]) need one compare and two returns.
  CHECK(p.size() == 3);
}

TEST_CASE("dispatch: the simplifier folds constants and trims rules") {
  auto c = compile_text(
      "#define ONE 1\n"
      "ALLOW { write { ONE == 1 || fd == 3 } }\n"  // always true
      "ERRNO(1) { read { 1 == 2 && fd == 3 } }\n"  // never
      "ALLOW { close { fd == 3 } }\n"              // same as the default
      "DEFAULT ALLOW");
  REQUIRE(c.ok);
  for (uint32_t nr : {0u, 1u, 3u}) CHECK_FALSE(loads_argument(c.program, nr));
  CHECK(decide(c.program, "read(3)") == kAllow);
  // Header (4) + one range + ret.
  CHECK(c.program.size() <= 6);
}

TEST_CASE("dispatch: the search is logarithmic and weighted towards real syscalls") {
  std::string text = "ERRNO(1) {";
  for (int nr = 0; nr < 400; nr += 2) text += (nr ? ", SYSCALL[" : " SYSCALL[") + std::to_string(nr) + "]";
  text += " } DEFAULT ALLOW";
  auto c = compile_text(text);
  REQUIRE(c.ok);
  uint32_t worst_real = 0, worst_any = 0;
  const AbiInfo& x86 = abi_info(Abi::X86_64);
  for (uint32_t nr = 0; nr < 1000; ++nr) {
    SeccompData d;
    d.nr = nr;
    uint32_t steps = run(c.program, d).executed;
    worst_any = std::max(worst_any, steps);
    if (syscall_name(Abi::X86_64, nr)) worst_real = std::max(worst_real, steps);
  }
  REQUIRE(x86.count > 300);
  // 400 ranges: ceil(log2 400) = 9 compares + 4 header + ret, plus at most
  // two `ja` trampolines where the tree's jumps span more than 255.
  CHECK(worst_real <= 16);
  // Numbers no syscall has weigh little and may sit a few levels deeper.
  CHECK(worst_any <= 20);
}

TEST_CASE("dispatch: a range holding many syscalls is found faster than an empty one") {
  auto c = compile_text("ERRNO(1) { ptrace, mount, bpf, setns } DEFAULT ALLOW");
  REQUIRE(c.ok);
  SeccompData read_call, unused;
  read_call.nr = 0;    // in [0, 100]: a hundred syscalls
  unused.nr = 100000;  // in the range past the table's end
  CHECK(run(c.program, read_call).executed < run(c.program, unused).executed);
}

TEST_CASE("codegen: an aarch64 target uses the generated aarch64 table and kills other arches") {
  auto c = compile_text("ERRNO(1) { ptrace } DEFAULT ALLOW", CodegenOptions{true, Abi::Aarch64});
  REQUIRE(c.ok);
  SeccompData d;
  d.arch = AUDIT_ARCH_AARCH64;
  d.nr = *syscall_number(Abi::Aarch64, "ptrace");
  CHECK(d.nr == 117);
  CHECK(run(c.program, d).action == (kErrno | 1));
  d.nr = *syscall_number(Abi::Aarch64, "read");
  CHECK(run(c.program, d).action == kAllow);
  d.arch = AUDIT_ARCH_X86_64;
  CHECK(run(c.program, d).action == kKillProcess);
}
