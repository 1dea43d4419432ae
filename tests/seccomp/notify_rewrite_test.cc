// SPDX-License-Identifier: Apache-2.0
// The notify variant (compiler/seccomp/notify_rewrite.h): kills and LOGs
// become USER_NOTIF and nothing else changes; no variant where it would be unsafe;
// the kernel accepts the variant.
#include <doctest/doctest.h>

#include <errno.h>
#include <sys/syscall.h>

#include "interpreter.h"
#include "notify_rewrite.h"
#include "support.h"

using namespace stockade::seccomp;
using namespace stockade::seccomp::test;

TEST_CASE("notify: every kill becomes USER_NOTIF, every other instruction stays") {
  Compiled c = compile_text("KILL { uname }\nERRNO(1) { ptrace }\nDEFAULT ALLOW");
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  std::optional<Program> v = notify_variant(c.program);
  REQUIRE(v.has_value());
  REQUIRE(v->size() == c.program.size());
  size_t rewritten = 0;
  for (size_t i = 0; i < v->size(); ++i) {
    const Insn& before = c.program[i];
    const Insn& after = (*v)[i];
    bool kill_ret =
        BPF_CLASS(before.code) == BPF_RET && ((before.k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_KILL_PROCESS ||
                                              (before.k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_KILL_THREAD);
    if (kill_ret) {
      CHECK(after == Insn{before.code, before.jt, before.jf, SECCOMP_RET_USER_NOTIF});
      ++rewritten;
    } else {
      CHECK(after == before);
    }
  }
  CHECK(rewritten > 0);
  uint32_t killed = decide(c.program, "uname");  // Kafel's KILL is KILL_THREAD
  CHECK((killed == SECCOMP_RET_KILL_THREAD || killed == SECCOMP_RET_KILL_PROCESS));
  CHECK(decide(*v, "uname") == SECCOMP_RET_USER_NOTIF);
  // The other ABIs' entry points are denied the same way, now reported too.
  CHECK(decide(*v, "x32 uname") == SECCOMP_RET_USER_NOTIF);
  CHECK(decide(*v, "ptrace") == (SECCOMP_RET_ERRNO | 1));
  CHECK(decide(*v, "read") == SECCOMP_RET_ALLOW);
}

TEST_CASE("notify: KILL_THREAD is rewritten as well, the data bits dropped") {
  Program p = {stmt_insn(BPF_LD | BPF_W | BPF_ABS, kOffNr), jump_insn(BPF_JMP | BPF_JEQ | BPF_K, SYS_uname, 0, 1),
               stmt_insn(BPF_RET | BPF_K, SECCOMP_RET_KILL_THREAD), stmt_insn(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
  std::optional<Program> v = notify_variant(p);
  REQUIRE(v.has_value());
  CHECK((*v)[2].k == SECCOMP_RET_USER_NOTIF);
  CHECK((*v)[3].k == SECCOMP_RET_ALLOW);
}

TEST_CASE("notify: LOG becomes USER_NOTIF too; a policy with LOG and no kill gets a variant") {
  Compiled c = compile_text("LOG { mkdir, uname }\nERRNO(1) { ptrace }\nTRAP(2) { syslog }\nDEFAULT ALLOW");
  REQUIRE_MESSAGE(c.ok, c.diagnostics);
  CHECK(decide(c.program, "uname") == SECCOMP_RET_LOG);
  std::optional<Program> v = notify_variant(c.program);
  REQUIRE(v.has_value());
  REQUIRE(v->size() == c.program.size());
  CHECK(decide(*v, "uname") == SECCOMP_RET_USER_NOTIF);
  CHECK(decide(*v, "mkdir") == SECCOMP_RET_USER_NOTIF);
  CHECK(decide(*v, "ptrace") == (SECCOMP_RET_ERRNO | 1));
  CHECK(decide(*v, "syslog") == (SECCOMP_RET_TRAP | 2));
  CHECK(decide(*v, "read") == SECCOMP_RET_ALLOW);
  // The supervisor tells the two apart on the original program.
  CHECK(decide(c.program, "x32 uname") == SECCOMP_RET_KILL_PROCESS);
  CHECK(decide(*v, "x32 uname") == SECCOMP_RET_USER_NOTIF);
  // The launcher pulls the listener (pidfd_getfd): a LOGged close,
  // sendmsg or read, even DEFAULT LOG, still has its variant.
  for (const char* logged :
       {"LOG { close }\nKILL { uname }\nDEFAULT ALLOW", "LOG { sendmsg, read }\nDEFAULT ALLOW", "DEFAULT LOG"}) {
    Compiled c2 = compile_text(logged);
    REQUIRE_MESSAGE(c2.ok, c2.diagnostics);
    CHECK_MESSAGE(notify_variant(c2.program).has_value(), logged);
  }
  Compiled all = compile_text("DEFAULT LOG");
  CHECK(decide(*notify_variant(all.program), "close") == SECCOMP_RET_USER_NOTIF);
}

TEST_CASE("notify: no variant without a kill or LOG, with `ret A`, or when the hand-over's read is denied") {
  CHECK_FALSE(notify_variant({}).has_value());
  CHECK_FALSE(notify_variant({stmt_insn(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)}).has_value());
  Program ret_a = {stmt_insn(BPF_LD | BPF_W | BPF_ABS, kOffNr), stmt_insn(BPF_RET | BPF_A, 0)};
  REQUIRE(verify(ret_a).empty());
  CHECK_FALSE(notify_variant(ret_a).has_value());
  for (const char* denied : {"KILL { uname, read }\nDEFAULT ALLOW", "KILL { uname }\nERRNO(1) { read }\nDEFAULT ALLOW",
                             "LOG { uname }\nKILL { read { count == 1 } }\nDEFAULT ALLOW"}) {
    Compiled c = compile_text(denied);
    REQUIRE_MESSAGE(c.ok, c.diagnostics);
    CHECK_MESSAGE(!notify_variant(c.program).has_value(), denied);
  }
}

TEST_CASE("notify: the IR form carries the same program") {
  Compiled c = compile_text("KILL { uname }\nDEFAULT ALLOW");
  REQUIRE(c.ok);
  stockade::ir::Seccomp s;
  for (const Insn& i : c.program) {
    auto* insn = s.add_program();
    insn->set_code(i.code);
    insn->set_jt(i.jt);
    insn->set_jf(i.jf);
    insn->set_k(i.k);
  }
  stockade::ir::Seccomp n = notify_seccomp(s);
  std::optional<Program> v = notify_variant(c.program);
  REQUIRE(v.has_value());
  REQUIRE(n.program_size() == static_cast<int>(v->size()));
  for (size_t i = 0; i < v->size(); ++i) CHECK(n.program(static_cast<int>(i)).k() == (*v)[i].k);
  CHECK(notify_seccomp(stockade::ir::Seccomp{}).program_size() == 0);
}

TEST_CASE("notify: the kernel accepts the variant; without a listener a notified call fails with ENOSYS") {
  Compiled c = compile_text(
      "ALLOW { write, exit_group, exit, mmap, munmap, madvise, sigaltstack, rt_sigprocmask, "
      "rt_sigaction }\nKILL { getppid }\nDEFAULT ALLOW");
  REQUIRE(c.ok);
  std::optional<Program> v = notify_variant(c.program);
  REQUIRE(v.has_value());
  const uint64_t args[6] = {};
  CHECK(run_in_kernel(c.program, Via::Native, SYS_getppid, args).outcome == Outcome::Killed);
  Observed got = run_in_kernel(*v, Via::Native, SYS_getppid, args);
  CHECK_MESSAGE(got == (Observed{Outcome::Errno, ENOSYS}), to_string(got));
  CHECK(run_in_kernel(*v, Via::Native, SYS_getpid, args).outcome == Outcome::Allowed);
}
