// SPDX-License-Identifier: Apache-2.0
// Every shipped policy (policies/*.policy through the real front end and
// compile_policy): its filter, installed in a forked child, makes the
// denylist's syscalls fail as specified, and the same syscalls with the x32
// bit and via int 0x80 do not get through.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "denylist_probes.h"
#include "frontend/frontend.h"
#include "interpreter.h"
#include "seccomp/seccomp.h"
#include "skip.h"
#include "syscalls.h"

using namespace stockade;
using namespace stockade::seccomp;
using namespace stockade::seccomp::test;

namespace {

ir::PolicySet shipped() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(STOCKADE_SOURCE_DIR "/policies"))
    if (e.path().extension() == ".policy") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  frontend::Options opts;
  opts.root = STOCKADE_SOURCE_DIR;
  diag::SourceMap sources;
  diag::Sink sink;
  ir::PolicySet set;
  bool ok = frontend::compile(files, opts, sources, sink, set);
  if (ok)
    for (ir::PolicyIr& p : *set.mutable_policies()) ok = compile_policy(p, sink, opts.root) && ok;
  INFO(diag::render_all(sink, sources));
  REQUIRE(ok);
  return set;
}

Program program_of(const ir::PolicyIr& p) {
  Program out;
  for (const ir::BpfInsn& i : p.seccomp().program())
    out.push_back(
        Insn{static_cast<uint16_t>(i.code()), static_cast<uint8_t>(i.jt()), static_cast<uint8_t>(i.jf()), i.k()});
  return out;
}

}  // namespace

TEST_CASE("shipped policies: denied syscalls fail as specified; x32 and int 0x80 do not get through") {
  ir::PolicySet set = shipped();
  REQUIRE(set.policies_size() > 0);
  bool int80 = int80_available();
  if (!int80) stockade::testing::skip("int 0x80 probes (IA32 emulation disabled here)");
  uint64_t none[6] = {0, 0, 0, 0, 0, 0};
  size_t probed = 0;
  for (const ir::PolicyIr& p : set.policies()) {
    Program prog = program_of(p);
    REQUIRE_MESSAGE(!prog.empty(), (p.name() + " has no seccomp filter"));
    REQUIRE(verify(prog).empty());
    for (const Probe& probe : probes()) {
      uint64_t args[6] = {0, 0, 0, 0, 0, 0};
      for (size_t i = 0; i < probe.args.size(); ++i) args[i] = probe.args[i];
      uint32_t nr = *syscall_number(Abi::X86_64, probe.name);
      Observed got = run_in_kernel(prog, Via::Native, nr, args);
      std::string what = p.name() + ": " + probe.name + " " + to_string(got) + ", wanted " + to_string(probe.expected);
      CHECK_MESSAGE(got == probe.expected, what);
      if (probe.expected == kAllowed) continue;
      // The same syscall through the other ABIs.
      if (std::optional<uint32_t> x32 = syscall_number(Abi::X32, probe.name)) {
        Observed via_x32 = run_in_kernel(prog, Via::X32Bit, *x32 & ~kX32Bit, none);
        CHECK_MESSAGE(via_x32 == kKilled, (p.name() + ": x32 " + probe.name + " " + to_string(via_x32)));
      }
      if (std::optional<uint32_t> i386 = syscall_number(Abi::I386, probe.name); i386 && int80) {
        Observed via_int80 = run_in_kernel(prog, Via::Int80, *i386, none);
        CHECK_MESSAGE(via_int80 == kKilled, (p.name() + ": int 0x80 " + probe.name + " " + to_string(via_int80)));
      }
      ++probed;
    }
  }
  MESSAGE(set.policies_size(), " shipped policies, ", probed, " denied syscalls probed under each ABI");
}
