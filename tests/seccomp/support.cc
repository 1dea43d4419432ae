// SPDX-License-Identifier: Apache-2.0
#include "support.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <stdexcept>

#include "diag/diagnostics.h"
#include "expect.h"
#include "interpreter.h"
#include "kafel_parse.h"

namespace stockade::seccomp::test {

Compiled compile_text(const std::string& text, CodegenOptions options, const std::vector<std::string>& include_dirs) {
  Compiled c;
  diag::Sink sink;
  diag::SourceMap sources;
  sources.add("test.policy", text);
  std::vector<ast::Unit> units(1);
  bool ok = parse_fragment(text, FragmentOrigin{"test.policy", 1, 1}, units[0], sink, include_dirs) &&
            resolve(units, options.native, c.rules, c.constants, sink);
  std::string error;
  if (ok && !generate(c.rules, options, c.program, error)) {
    sink.error(diag::Location{"test.policy", 1, 1, 1}, error);
    ok = false;
  }
  if (ok) {
    std::string why = verify(c.program);
    if (!why.empty()) {
      sink.error(diag::Location{"test.policy", 1, 1, 1}, "verifier: " + why);
      ok = false;
    }
  }
  c.ok = ok;
  c.diagnostics = diag::render_all(sink, sources);
  return c;
}

SeccompData call_data(const std::string& call, const Constants& constants) {
  diag::Sink sink;
  std::optional<ExpectCase> c = parse_expect(call + " -> ALLOW", diag::Location{"case", 1, 1, 1}, constants, sink);
  if (!c) throw std::runtime_error("bad case `" + call + "': " + sink.all().front().message);
  return c->data;
}

uint32_t decide(const Program& program, const std::string& call, const Constants& constants) {
  return run(program, call_data(call, constants)).action;
}

std::string to_string(const Observed& o) {
  switch (o.outcome) {
    case Outcome::Allowed: return "allowed";
    case Outcome::Killed: return "killed";
    case Outcome::Errno: return "errno " + std::to_string(o.err);
  }
  return "?";
}

Observed expected_observation(uint32_t action) {
  switch (action & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_KILL_PROCESS:
    case SECCOMP_RET_KILL_THREAD:
    case SECCOMP_RET_TRAP: return {Outcome::Killed, 0};
    case SECCOMP_RET_ERRNO: return {Outcome::Errno, static_cast<int>(action & SECCOMP_RET_DATA)};
    // No tracer and no listener: the syscall fails with ENOSYS.
    case SECCOMP_RET_TRACE:
    case SECCOMP_RET_USER_NOTIF: return {Outcome::Errno, ENOSYS};
    default: return {Outcome::Allowed, 0};
  }
}

namespace {

struct Report {
  long ret;
  int err;
};

long int80(uint32_t nr, const uint64_t a[6]) {
  long ret;
  // i386 convention: eax = nr, ebx ecx edx esi edi ebp = args; rbp is saved
  // around the call because the compiler may use it.
  register uint64_t sixth asm("r8") = a[5];
  asm volatile("push %%rbp\n\tmov %%r8, %%rbp\n\tint $0x80\n\tpop %%rbp"
               : "=a"(ret)
               : "a"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4]), "r"(sixth)
               : "memory", "r9", "r10", "r11");
  return ret;
}

}  // namespace

Observed run_in_kernel(const Program& program, Via via, uint32_t nr, const uint64_t args[6]) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    std::vector<sock_filter> filter;
    for (const Insn& i : program) filter.push_back(sock_filter{i.code, i.jt, i.jf, i.k});
    sock_fprog prog{static_cast<unsigned short>(filter.size()), filter.data()};
    if (!program.empty()) {
      if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(100);
      if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) _exit(101);
    }
    Report r{0, 0};
    if (via == Via::Int80) {
      r.ret = int80(nr, args);
      if (r.ret < 0 && r.ret > -4096) {
        r.err = static_cast<int>(-r.ret);
        r.ret = -1;
      }
    } else {
      uint32_t n = via == Via::X32Bit ? (nr | kX32Bit) : nr;
      errno = 0;
      r.ret = syscall(n, args[0], args[1], args[2], args[3], args[4], args[5]);
      r.err = errno;
    }
    if (write(fds[1], &r, sizeof r) != sizeof r) _exit(102);
    _exit(0);
  }
  close(fds[1]);
  Report r{0, 0};
  ssize_t got = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) return {Outcome::Killed, 0};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != sizeof r)
    throw std::runtime_error("test child failed: status " + std::to_string(status));
  if (r.ret == -1 && r.err >= 200) return {Outcome::Errno, r.err};
  if (r.ret == -1 && r.err == ENOSYS) return {Outcome::Errno, ENOSYS};
  if (r.ret == -1 && r.err == EPERM) return {Outcome::Errno, EPERM};
  return {Outcome::Allowed, 0};
}

bool int80_available() {
  pid_t pid = fork();
  if (pid == 0) {
    const uint64_t none[6] = {0, 0, 0, 0, 0, 0};
    long r = int80(20, none);  // i386 getpid
    _exit(r == getpid() ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace stockade::seccomp::test
