// SPDX-License-Identifier: Apache-2.0
// The shipped base_denylist under the real kernel: compiled as the shipped
// policies use it (`USE base_denylist DEFAULT ALLOW`), installed in a forked
// child, and every denied syscall attempted natively, with the x32 bit, and
// via int 0x80. Arguments are chosen so that a syscall the filter wrongly let
// through fails harmlessly with a different errno (EFAULT, EBADF, EINVAL).
#include <doctest/doctest.h>

#include "denylist_probes.h"
#include "files.h"
#include "interpreter.h"
#include "skip.h"
#include "support.h"
#include "syscalls.h"

using namespace stockade::seccomp;
using namespace stockade::seccomp::test;

namespace {

using stockade::testing::read_file;

Compiled denylist() {
  std::string base = read_file(STOCKADE_SOURCE_DIR "/policies/base_denylist.kafel");
  return compile_text(base + "\nUSE base_denylist DEFAULT ALLOW\n");
}

}  // namespace

TEST_CASE("base_denylist: denied syscalls fail as specified in the kernel and the interpreter") {
  Compiled c = denylist();
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  for (const Probe& p : probes()) {
    uint64_t args[6] = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < p.args.size(); ++i) args[i] = p.args[i];
    std::optional<uint32_t> nr = syscall_number(Abi::X86_64, p.name);
    REQUIRE(nr.has_value());
    SeccompData d;
    d.nr = *nr;
    for (int i = 0; i < 6; ++i) d.args[i] = args[i];
    std::string what = std::string(p.name) + "(" + std::to_string(args[0]) + ", " + std::to_string(args[1]) + ")";
    Observed interpreted = expected_observation(run(c.program, d).action);
    Observed kernel = run_in_kernel(c.program, Via::Native, *nr, args);
    std::string said = what + ": interpreter " + to_string(interpreted) + ", kernel " + to_string(kernel) +
                       ", wanted " + to_string(p.expected);
    CHECK_MESSAGE(interpreted == p.expected, said);
    CHECK_MESSAGE(kernel == p.expected, said);
  }
}

TEST_CASE("base_denylist: the same syscalls with the x32 bit are killed") {
  Compiled c = denylist();
  REQUIRE(c.ok);
  uint64_t none[6] = {0, 0, 0, 0, 0, 0};
  for (const char* name : {"ptrace", "mount", "unshare", "bpf", "getppid", "personality"}) {
    std::optional<uint32_t> x32 = syscall_number(Abi::X32, name);
    REQUIRE(x32.has_value());
    SeccompData d;
    d.nr = *x32;
    CHECK(run(c.program, d).action == kKillProcess);
    CHECK_MESSAGE((run_in_kernel(c.program, Via::X32Bit, *x32 & ~kX32Bit, none) == kKilled), name);
  }
  // x32-only numbers (512+) too, e.g. the x32 ptrace.
  CHECK(run_in_kernel(c.program, Via::X32Bit, 521, none) == kKilled);
}

TEST_CASE("base_denylist: the same syscalls via int 0x80 are killed") {
  if (!int80_available()) {
    stockade::testing::skip("int 0x80 does not reach the kernel here (IA32 emulation disabled)");
    return;
  }
  Compiled c = denylist();
  REQUIRE(c.ok);
  uint64_t none[6] = {0, 0, 0, 0, 0, 0};
  for (const char* name : {"ptrace", "mount", "unshare", "bpf", "getppid", "socketcall", "chroot"}) {
    std::optional<uint32_t> nr = syscall_number(Abi::I386, name);
    REQUIRE(nr.has_value());
    CHECK_MESSAGE((run_in_kernel(c.program, Via::Int80, *nr, none) == kKilled), name);
  }
}

TEST_CASE("base_denylist: the probes would notice a leak (without the filter they fail differently)") {
  size_t distinguishable = 0, total = 0;
  std::string same;
  for (const Probe& p : probes()) {
    if (p.expected == kAllowed) continue;
    uint64_t args[6] = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < p.args.size(); ++i) args[i] = p.args[i];
    Observed unfiltered = run_in_kernel({}, Via::Native, *syscall_number(Abi::X86_64, p.name), args);
    ++total;
    if (unfiltered == p.expected) same += std::string(" ") + p.name;
    else ++distinguishable;
  }
  MESSAGE(distinguishable, " of ", total, " probes fail differently without the filter; same errno here:", same);
  // Unprivileged containers make some of them EPERM by themselves; most must
  // still tell a leak apart.
  CHECK(distinguishable * 2 > total);
}
