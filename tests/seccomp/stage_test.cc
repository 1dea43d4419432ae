// SPDX-License-Identifier: Apache-2.0
// compile_policy end to end on IR input: fragments from several files,
// location mapping, expects, explain text and the disassembly.
#include <doctest/doctest.h>

#include "files.h"
#include "interpreter.h"
#include "seccomp.h"
#include "support.h"

using namespace stockade;
using namespace stockade::seccomp;

namespace {
using stockade::testing::read_file;

void add_fragment(ir::PolicyIr& p, const std::string& text, const std::string& file, uint32_t line, uint32_t col) {
  ir::SeccompFragment* f = p.mutable_seccomp()->add_fragments();
  f->set_text(text);
  f->mutable_location()->set_file(file);
  f->mutable_location()->set_line(line);
  f->mutable_location()->set_column(col);
}

void add_expect(ir::PolicyIr& p, const std::string& text, const std::string& file, uint32_t line, uint32_t col) {
  ir::Expect* e = p.mutable_seccomp()->add_expects();
  e->set_text(text);
  e->mutable_location()->set_file(file);
  e->mutable_location()->set_line(line);
  e->mutable_location()->set_column(col);
}

Program program_of(const ir::PolicyIr& p) {
  Program out;
  for (const ir::BpfInsn& i : p.seccomp().program())
    out.push_back(
        Insn{static_cast<uint16_t>(i.code()), static_cast<uint8_t>(i.jt()), static_cast<uint8_t>(i.jf()), i.k()});
  return out;
}
}  // namespace

TEST_CASE("stage: no fragments, no filter") {
  ir::PolicyIr p;
  diag::Sink sink;
  CHECK(compile_policy(p, sink));
  CHECK(p.seccomp().program_size() == 0);
  CHECK(disassemble(p.seccomp()) == "no seccomp filter\n");
  add_expect(p, "ptrace -> ALLOW", "a.policy", 3, 10);
  CHECK(compile_policy(p, sink));  // no filter: everything is allowed
  add_expect(p, "ptrace -> KILL", "a.policy", 4, 10);
  CHECK_FALSE(compile_policy(p, sink));
}

TEST_CASE("stage: the shipped base_denylist with a policy block and expects") {
  ir::PolicyIr p;
  p.set_name("python3");
  std::string base = read_file(STOCKADE_SOURCE_DIR "/policies/base_denylist.kafel");
  REQUIRE(!base.empty());
  add_fragment(p, base, "policies/base.policy", 2, 11);
  add_fragment(p, " USE base_denylist DEFAULT ALLOW ", "policies/python3.policy", 20, 12);
  add_expect(p, "ptrace -> ERRNO(1)", "policies/python3.policy", 21, 10);
  add_expect(p, "ioctl(1, 0x5412) -> ERRNO(1)", "policies/python3.policy", 22, 10);
  add_expect(p, "clone3 -> ERRNO(38)", "policies/python3.policy", 23, 10);
  add_expect(p, "i386 getpid -> KILL_PROCESS", "policies/python3.policy", 24, 10);
  diag::Sink sink;
  REQUIRE(compile_policy(p, sink));
  CHECK(sink.all().empty());
  Program prog = program_of(p);
  CHECK(verify(prog).empty());
  CHECK(p.seccomp().explain().find("  ptrace -> ERRNO(1)\n") != std::string::npos);
  CHECK(p.seccomp().explain().find("  ioctl -> ERRNO(1) if (cmd == 0x5412 || cmd == 0x541c)\n") != std::string::npos);
  CHECK(p.seccomp().explain().find("  any other syscall -> ALLOW\n") != std::string::npos);
  CHECK(p.seccomp().explain().find("  x32 syscalls -> KILL_PROCESS\n") != std::string::npos);
  std::string listing = disassemble(p.seccomp());
  CHECK(listing.find("; AUDIT_ARCH_X86_64") != std::string::npos);
  CHECK(listing.find("; x32 bit (__X32_SYSCALL_BIT)") != std::string::npos);
  CHECK(listing.find("; ptrace") != std::string::npos);
  CHECK(listing.find("; args[1] low half") != std::string::npos);
  CHECK(listing.find("; KILL_PROCESS") != std::string::npos);
}

TEST_CASE("stage: errors in any fragment point into its own file") {
  ir::PolicyIr p;
  add_fragment(p, "POLICY shared { ALLOW { read } }", "base.policy", 5, 11);
  add_fragment(p, "\n  USE shared,\n  ALLOW { wirte }\n  DEFAULT KILL", "python3.policy", 10, 12);
  diag::Sink sink;
  CHECK_FALSE(compile_policy(p, sink));
  REQUIRE(sink.all().size() == 1);
  const diag::Diagnostic& d = sink.all()[0];
  CHECK(d.location.file == "python3.policy");
  CHECK(d.location.line == 12);
  CHECK(d.location.column == 11);
  CHECK(d.location.length == 5);
  CHECK(d.message == "unknown syscall `wirte'; did you mean 'write'?");
}

TEST_CASE("stage: a failed expect is a build error with its location") {
  ir::PolicyIr p;
  add_fragment(p, "ERRNO(1) { ptrace } DEFAULT ALLOW", "x.policy", 1, 10);
  add_expect(p, "ptrace -> KILL_PROCESS", "x.policy", 2, 10);
  diag::Sink sink;
  CHECK_FALSE(compile_policy(p, sink));
  diag::SourceMap sources;
  sources.add("x.policy", "seccomp { ERRNO(1) { ptrace } DEFAULT ALLOW }\n  expect ptrace -> KILL_PROCESS\n");
  CHECK(diag::render_all(sink, sources) ==
        "x.policy:2:10: error: expect failed: ptrace gets ERRNO(1), not KILL_PROCESS\n"
        "  expect ptrace -> KILL_PROCESS\n"
        "         ^~~~~~\n");
}

TEST_CASE("stage: mutated policies never crash and every failure says why") {
  std::string base =
      read_file(STOCKADE_SOURCE_DIR "/policies/base_denylist.kafel") + "\nUSE base_denylist DEFAULT ALLOW\n";
  const std::string alphabet =
      "{}()[],;&|!=<>#/*-0123456789xbABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwyz \n\"$";
  uint64_t state = 88172645463325252ull;  // xorshift: deterministic
  auto next = [&]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  size_t failed = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string text = base;
    for (int edits = 1 + static_cast<int>(next() % 4); edits > 0; --edits) {
      size_t at = next() % text.size();
      switch (next() % 3) {
        case 0: text.erase(at, 1 + next() % 8); break;
        case 1: text.insert(at, 1, alphabet[next() % alphabet.size()]); break;
        default: text[at] = alphabet[next() % alphabet.size()]; break;
      }
    }
    test::Compiled c = test::compile_text(text);
    if (!c.ok) {
      ++failed;
      CHECK_MESSAGE(c.diagnostics.find(": error: ") != std::string::npos, text);
    } else {
      CHECK(verify(c.program).empty());
    }
  }
  MESSAGE(failed, " of 1500 mutated policies were rejected with a diagnostic");
}
