// SPDX-License-Identifier: Apache-2.0
// The launcher's classic-BPF evaluator (runtime/seccomp/bpf_eval.h): each opcode by
// hand, the refusals (anything off the rails answers KILL_PROCESS, never
// ALLOW), and differentially against the compiler's interpreter
// (compiler/seccomp/interpreter.h) on the committed shipped programs, on
// random policies' programs and their notify variants, and on random
// verified instruction sequences. Built in tests/seccomp, next to the
// interpreter and the random-policy generator.
#include <doctest/doctest.h>

#include <cstring>
#include <random>

#include "interpreter.h"
#include "notify_rewrite.h"
#include "policy_table.h"
#include "random_policy.h"
#include "seccomp/bpf_eval.h"
#include "support.h"

namespace sc = stockade::seccomp;
using stockade::bpf_eval;

namespace {

seccomp_data to_kernel(const sc::SeccompData& d) {
  seccomp_data k;
  std::memset(&k, 0, sizeof k);
  k.nr = static_cast<int>(d.nr);
  k.arch = d.arch;
  k.instruction_pointer = d.ip;
  for (int i = 0; i < 6; ++i) k.args[i] = d.args[i];
  return k;
}

uint32_t eval(const sc::Program& p, const sc::SeccompData& d) {
  static_assert(sizeof(sc::Insn) == sizeof(sock_filter));
  std::vector<sock_filter> f;
  for (const sc::Insn& i : p) f.push_back(sock_filter{i.code, i.jt, i.jf, i.k});
  return bpf_eval(f.data(), static_cast<uint32_t>(f.size()), to_kernel(d));
}

sc::Program from_table(const stockade::table::List<sock_filter>& l) {
  sc::Program p;
  for (const sock_filter& f : l) p.push_back(sc::Insn{f.code, f.jt, f.jf, f.k});
  return p;
}

sc::Insn stmt(uint16_t code, uint32_t k) { return sc::stmt_insn(code, k); }
sc::Insn jmp(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return sc::jump_insn(code, k, jt, jf); }

constexpr uint32_t kRefused = SECCOMP_RET_KILL_PROCESS;

}  // namespace

TEST_CASE("bpf_eval: loads, ALU, scratch memory, TAX/TXA and every jump decide like the kernel") {
  sc::SeccompData d;
  d.nr = 257;
  d.args[1] = 0x1234'0000'00ffULL;
  d.ip = 0xaabbccdd'11223344ULL;
  // A = arg1 low (0xff) + 1 = 0x100; M[3] = A; X = 4; A = A << X (0x1000);
  // A |= M[3] via X; ... ends in a return that encodes the path taken.
  sc::Program p = {
      stmt(BPF_LD | BPF_W | BPF_ABS, sc::arg_lo(1)),
      stmt(BPF_ALU | BPF_ADD | BPF_K, 1),
      stmt(BPF_ST, 3),
      stmt(BPF_LDX | BPF_IMM, 4),
      stmt(BPF_ALU | BPF_LSH | BPF_X, 0),
      stmt(BPF_LDX | BPF_MEM, 3),
      stmt(BPF_ALU | BPF_OR | BPF_X, 0),              // 0x1100
      jmp(BPF_JMP | BPF_JEQ | BPF_K, 0x1100, 0, 6),   // taken
      stmt(BPF_LD | BPF_W | BPF_ABS, sc::arg_hi(1)),  // 0x1234
      jmp(BPF_JMP | BPF_JSET | BPF_K, 0x4, 0, 4),     // taken
      stmt(BPF_MISC | BPF_TAX, 0),
      stmt(BPF_LD | BPF_W | BPF_ABS, 12),       // ip high word
      jmp(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 1),  // 0xaabbccdd > 0x1234: taken
      stmt(BPF_RET | BPF_K, SECCOMP_RET_LOG | 7),
      stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_THREAD),
  };
  REQUIRE(sc::verify(p).empty());
  CHECK(eval(p, d) == (SECCOMP_RET_LOG | 7));
  CHECK(sc::run(p, d).action == (SECCOMP_RET_LOG | 7));
  d.args[1] = 0x1234'0000'00feULL;  // first compare fails
  CHECK(eval(p, d) == SECCOMP_RET_KILL_THREAD);

  sc::Program arith = {stmt(BPF_LD | BPF_W | BPF_LEN, 0),
                       stmt(BPF_ALU | BPF_SUB | BPF_K, 4),  // 60
                       stmt(BPF_ALU | BPF_MUL | BPF_K, 3),
                       stmt(BPF_ALU | BPF_DIV | BPF_K, 9),  // 20
                       stmt(BPF_ALU | BPF_XOR | BPF_K, 0xff),
                       stmt(BPF_ALU | BPF_AND | BPF_K, 0xf0),  // 0xe0
                       stmt(BPF_ALU | BPF_RSH | BPF_K, 4),
                       stmt(BPF_ALU | BPF_NEG, 0),  // -14
                       stmt(BPF_MISC | BPF_TAX, 0),
                       stmt(BPF_LD | BPF_IMM, 0),
                       stmt(BPF_MISC | BPF_TXA, 0),
                       jmp(BPF_JMP | BPF_JGE | BPF_K, 0xfffffff2, 1, 0),
                       stmt(BPF_RET | BPF_K, 1),
                       stmt(BPF_RET | BPF_A, 0)};
  REQUIRE(sc::verify(arith).empty());
  CHECK(eval(arith, d) == 0xfffffff2u);
  CHECK(sc::run(arith, d).action == 0xfffffff2u);
}

TEST_CASE("bpf_eval: what would leave the program or the kernel's rules answers KILL_PROCESS") {
  sc::SeccompData d;
  const uint32_t allow = SECCOMP_RET_ALLOW;
  // Each of these would otherwise return ALLOW, so a wrong answer shows.
  CHECK(eval({stmt(BPF_LD | BPF_W | BPF_ABS, 64), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_LD | BPF_W | BPF_ABS, 2), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_LD | BPF_H | BPF_ABS, 0), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_LD | BPF_MEM, 2), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);  // never written
  CHECK(eval({stmt(BPF_ST, 16), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_JMP | BPF_JA, 1), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({jmp(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_ALU | BPF_MOD | BPF_K, 3), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_ALU | BPF_NEG | BPF_X, 0), stmt(BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_LDX | BPF_IMM, 32), stmt(BPF_ALU | BPF_LSH | BPF_X, 0), stmt(BPF_RET | BPF_K, allow)}, d) ==
        kRefused);
  CHECK(eval({stmt(0x100 | BPF_RET | BPF_K, allow)}, d) == kRefused);
  CHECK(eval({stmt(BPF_LD | BPF_IMM, 1)}, d) == kRefused);  // no return
  CHECK(eval({}, d) == kRefused);
  // Division by zero ends a classic program with 0: KILL_THREAD.
  CHECK(eval({stmt(BPF_LDX | BPF_IMM, 0), stmt(BPF_ALU | BPF_DIV | BPF_X, 0), stmt(BPF_RET | BPF_K, allow)}, d) ==
        SECCOMP_RET_KILL_THREAD);
}

TEST_CASE("bpf_eval == interpreter on every committed shipped program and its notify variant") {
  size_t programs = 0, compared = 0;
  std::mt19937_64 rng(42);
  const auto& pool = sc::test::interpreter_pool();
  std::vector<uint64_t> values = sc::test::boundary_values({0x5401, 0x5412, 0x541c, 0x40000000, 1, 2, 3});
  for (const stockade::table::Policy* policy : stockade::generated::kPolicies) {
    std::vector<sock_filter> variant(policy->seccomp.count);
    if (policy->seccomp_notify.count > 0) stockade::table::write_notify_variant(*policy, variant.data());
    const stockade::table::List<sock_filter> notify = {
        variant.data(), policy->seccomp_notify.count > 0 ? policy->seccomp.count : uint16_t{0}};
    // The table's patches rebuild exactly the compiler's variant.
    std::optional<sc::Program> expected = sc::notify_variant(from_table(policy->seccomp));
    CHECK_MESSAGE(expected.has_value() == (notify.count > 0), policy->name);
    if (expected && notify.count > 0) CHECK_MESSAGE(from_table(notify) == *expected, policy->name);
    for (const auto* list : {&policy->seccomp, &notify}) {
      if (list->count == 0) continue;
      sc::Program p = from_table(*list);
      REQUIRE_MESSAGE(sc::verify(p).empty(), policy->name);
      ++programs;
      std::vector<sc::SeccompData> cases = sc::test::probe_cases(rng, pool, values, 100);
      for (uint32_t nr = 0; nr < 460; ++nr) {
        sc::SeccompData d;
        d.nr = nr;
        cases.push_back(d);
        d.nr = nr | sc::kX32Bit;
        cases.push_back(d);
        d.nr = nr;
        d.arch = AUDIT_ARCH_I386;
        cases.push_back(d);
      }
      for (const sc::SeccompData& d : cases) {
        ++compared;
        uint32_t want = sc::run(p, d).action, got = eval(p, d);
        if (got != want) {
          FAIL_CHECK(policy->name, ": arch ", d.arch, " nr ", d.nr, ": interpreter ", want, ", bpf_eval ", got);
          break;
        }
      }
    }
  }
  MESSAGE("shipped: ", programs, " programs, ", compared, " decisions compared");
  CHECK(programs >= 2);
}

TEST_CASE("bpf_eval == interpreter on random policies; every notified call is a LOG or a kill in the original") {
  const std::vector<sc::Action> actions = {sc::kAllow,     sc::kLog,      sc::kKillThread, sc::kKillProcess,
                                           sc::kErrno | 1, sc::kTrap | 3, sc::kTrace | 4};
  size_t compared = 0, notified = 0, logged = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    sc::test::RandomPolicy policy = sc::test::random_policy(rng, sc::test::interpreter_pool(), actions);
    sc::test::Compiled c = sc::test::compile_text(policy.text);
    REQUIRE_MESSAGE(c.ok, policy.text, c.diagnostics);
    std::optional<sc::Program> variant = sc::notify_variant(c.program);
    std::vector<uint64_t> values = sc::test::boundary_values(policy.constants);
    for (const sc::SeccompData& d : sc::test::probe_cases(rng, sc::test::interpreter_pool(), values, 100)) {
      ++compared;
      uint32_t want = sc::run(c.program, d).action, got = eval(c.program, d);
      if (got != want) {
        FAIL_CHECK("seed ", seed, " nr ", d.nr, ": interpreter ", want, ", bpf_eval ", got, "\n", policy.text);
        break;
      }
      if (!variant || (sc::run(*variant, d).action & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_USER_NOTIF) continue;
      // What the supervisor relies on: the original says LOG or KILL.
      ++notified;
      uint32_t original = got & SECCOMP_RET_ACTION_FULL;
      if (original == SECCOMP_RET_LOG) ++logged;
      CHECK_MESSAGE(
          (original == SECCOMP_RET_LOG || original == SECCOMP_RET_KILL_THREAD || original == SECCOMP_RET_KILL_PROCESS),
          "seed ", seed, " nr ", d.nr, ": ", original);
    }
  }
  MESSAGE("random policies: ", compared, " decisions compared, ", notified, " notified, ", logged, " of them LOG");
  CHECK(compared >= 200 * 100);
  CHECK(logged > 0);
  CHECK(notified > logged);
}

TEST_CASE("bpf_eval == interpreter on random verified instruction sequences") {
  // Every opcode seccomp allows, except the two whose classic semantics the
  // interpreter models differently on purpose-free inputs: DIV by X and
  // shifts by X (bpf_eval answers KILL_THREAD / refuses there; tested above).
  const uint16_t codes[] = {BPF_LD | BPF_W | BPF_ABS,
                            BPF_LD | BPF_W | BPF_LEN,
                            BPF_LDX | BPF_W | BPF_LEN,
                            BPF_LD | BPF_IMM,
                            BPF_LDX | BPF_IMM,
                            BPF_LD | BPF_MEM,
                            BPF_LDX | BPF_MEM,
                            BPF_ST,
                            BPF_STX,
                            BPF_MISC | BPF_TAX,
                            BPF_MISC | BPF_TXA,
                            BPF_ALU | BPF_ADD | BPF_K,
                            BPF_ALU | BPF_ADD | BPF_X,
                            BPF_ALU | BPF_SUB | BPF_K,
                            BPF_ALU | BPF_SUB | BPF_X,
                            BPF_ALU | BPF_MUL | BPF_K,
                            BPF_ALU | BPF_MUL | BPF_X,
                            BPF_ALU | BPF_DIV | BPF_K,
                            BPF_ALU | BPF_AND | BPF_K,
                            BPF_ALU | BPF_AND | BPF_X,
                            BPF_ALU | BPF_OR | BPF_K,
                            BPF_ALU | BPF_OR | BPF_X,
                            BPF_ALU | BPF_XOR | BPF_K,
                            BPF_ALU | BPF_XOR | BPF_X,
                            BPF_ALU | BPF_LSH | BPF_K,
                            BPF_ALU | BPF_RSH | BPF_K,
                            BPF_ALU | BPF_NEG,
                            BPF_JMP | BPF_JA,
                            BPF_JMP | BPF_JEQ | BPF_K,
                            BPF_JMP | BPF_JEQ | BPF_X,
                            BPF_JMP | BPF_JGE | BPF_K,
                            BPF_JMP | BPF_JGE | BPF_X,
                            BPF_JMP | BPF_JGT | BPF_K,
                            BPF_JMP | BPF_JGT | BPF_X,
                            BPF_JMP | BPF_JSET | BPF_K,
                            BPF_JMP | BPF_JSET | BPF_X,
                            BPF_RET | BPF_K,
                            BPF_RET | BPF_A};
  std::mt19937_64 rng(7);
  size_t programs = 0, compared = 0;
  for (int attempt = 0; attempt < 20000 && programs < 2000; ++attempt) {
    size_t len = 2 + rng() % 24;
    sc::Program p;
    for (size_t i = 0; i < len; ++i) {
      uint16_t code = codes[rng() % std::size(codes)];
      uint32_t k = static_cast<uint32_t>(rng());
      switch (code) {
        case BPF_LD | BPF_W | BPF_ABS: k = 4 * (k % 16); break;
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
        case BPF_ST:
        case BPF_STX: k %= 4; break;
        case BPF_ALU | BPF_DIV | BPF_K: k = 1 + k % 7; break;
        case BPF_ALU | BPF_LSH | BPF_K:
        case BPF_ALU | BPF_RSH | BPF_K: k %= 32; break;
        case BPF_JMP | BPF_JA: k %= 4; break;
        default: break;
      }
      p.push_back(sc::Insn{code, static_cast<uint8_t>(rng() % 4), static_cast<uint8_t>(rng() % 4), k});
    }
    p.push_back(stmt(BPF_RET | BPF_A, 0));
    if (!sc::verify(p).empty()) continue;
    ++programs;
    for (int c = 0; c < 20; ++c) {
      sc::SeccompData d;
      d.nr = static_cast<uint32_t>(rng() % 512);
      d.arch = rng() % 2 ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_I386;
      d.ip = rng();
      for (uint64_t& a : d.args) a = rng() % 3 == 0 ? rng() % 8 : rng();
      ++compared;
      uint32_t want = sc::run(p, d).action, got = eval(p, d);
      if (got != want) {
        FAIL_CHECK("program ", programs, " case ", c, ": interpreter ", want, ", bpf_eval ", got);
        break;
      }
    }
  }
  MESSAGE("random sequences: ", programs, " verified programs, ", compared, " runs compared");
  CHECK(programs >= 1000);
}
