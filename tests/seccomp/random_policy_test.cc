// Random policies compiled with and without optimisation give the same
// decisions as each other and as a direct evaluation of the rules, on
// boundary values derived from each policy's constants.
#include <doctest/doctest.h>

#include "interpreter.h"
#include "random_policy.h"
#include "support.h"

using namespace stockade::seccomp;
using namespace stockade::seccomp::test;

TEST_CASE("random policies: optimised == reference form == direct evaluation") {
  const std::vector<Action> actions = {kAllow, kLog, kKillThread, kKillProcess, kErrno | 1, kErrno | 200,
                                       kTrap | 3, kTrace | 4, kUserNotif};
  size_t compared = 0;
  uint64_t steps_opt = 0, steps_ref = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    std::mt19937_64 rng(seed);
    RandomPolicy policy = random_policy(rng, interpreter_pool(), actions);
    Compiled opt = compile_text(policy.text, CodegenOptions{true, Abi::X86_64});
    Compiled ref = compile_text(policy.text, CodegenOptions{false, Abi::X86_64});
    REQUIRE_MESSAGE(opt.ok, policy.text, opt.diagnostics);
    REQUIRE_MESSAGE(ref.ok, policy.text, ref.diagnostics);
    std::vector<uint64_t> values = boundary_values(policy.constants);
    for (const SeccompData& d : probe_cases(rng, interpreter_pool(), values, 200)) {
      Action expected = reference_decision(opt.rules, d);
      RunResult ra = run(opt.program, d), rb = run(ref.program, d);
      Action a = ra.action, b = rb.action;
      steps_opt += ra.executed;
      steps_ref += rb.executed;
      ++compared;
      if (a != expected || b != expected) {
        FAIL_CHECK("seed ", seed, " nr ", d.nr, " args ", d.args[0], ",", d.args[1], ",", d.args[2], ": optimised ",
                   action_name(a), ", reference ", action_name(b), ", rules say ", action_name(expected), "\n",
                   policy.text);
        break;
      }
    }
    // Foreign ABIs are killed in both forms whatever the policy says.
    SeccompData x32;
    x32.nr = kX32Bit | 1;
    CHECK(run(opt.program, x32).action == kKillProcess);
    CHECK(run(ref.program, x32).action == kKillProcess);
    SeccompData i386;
    i386.arch = AUDIT_ARCH_I386;
    CHECK(run(opt.program, i386).action == kKillProcess);
  }
  MESSAGE("compared ", compared, " decisions; instructions executed: optimised ", steps_opt, ", reference ",
          steps_ref);
  CHECK(compared >= 400 * 200);
  CHECK(steps_opt < steps_ref);
}
