// SPDX-License-Identifier: Apache-2.0
// The record of LOGged calls (runtime/seccomp/log.h) and how --report writes
// it (runtime/report.h): one entry per distinct (arch, nr) with the first
// call's arguments and a count, a bound on entries, a total, and the exact
// JSON text.
#include <doctest/doctest.h>

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "report.h"
#include "seccomp/log.h"
#include "text.h"

using namespace stockade;

namespace {

SeccompCall call(uint32_t arch, uint32_t nr, uint64_t arg0) {
  SeccompCall c;
  c.arch = arch;
  c.nr = nr;
  c.args[0] = arg0;
  c.args[1] = 0x1ed;
  return c;
}

std::string report_json(const JobResult& r) {
  int fd = memfd_create("report", MFD_CLOEXEC);
  REQUIRE(fd >= 0);
  Failure f{};
  ReportSink sink;
  sink.fd = fd;
  bool ok = write_report(sink, ReportContext{}, r, f);
  std::string out;
  char buf[4096];
  ssize_t n;
  lseek(fd, 0, SEEK_SET);
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  CHECK_MESSAGE(ok, std::string(step_name(f.step)), ": ", f.what);
  return out;
}

}  // namespace

TEST_CASE("logged calls: one entry per syscall and ABI, the first call's arguments, counts") {
  LoggedCalls log;
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 83, 0x1000)) == Logged::First);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 83, 0x2000)) == Logged::Again);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 0x40000000 | 83, 0x3000)) == Logged::First);  // x32
  CHECK(record_logged(log, call(AUDIT_ARCH_I386, 83, 0x4000)) == Logged::First);                 // i386 83 is not mkdir
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 83, 0x5000)) == Logged::Again);
  REQUIRE(log.distinct == 3);
  CHECK(log.total == 5);
  CHECK(log.unlisted == 0);
  CHECK(log.syscalls()[0].count == 3);
  CHECK(log.syscalls()[0].first.args[0] == 0x1000);  // the first call's, not the last
  CHECK(log.syscalls()[1].count == 1);
  CHECK(log.syscalls()[2].first.arch == AUDIT_ARCH_I386);
}

TEST_CASE("logged calls: past kMaxLoggedSyscalls distinct syscalls, calls are only counted") {
  LoggedCalls log;
  for (uint32_t nr = 0; nr < kMaxLoggedSyscalls; ++nr)
    CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, nr, 0)) == Logged::First);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 500, 0)) == Logged::Unlisted);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 501, 0)) == Logged::Unlisted);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 3, 0)) == Logged::Again);  // listed ones still count
  CHECK(log.distinct == kMaxLoggedSyscalls);
  CHECK(log.unlisted == 2);
  CHECK(log.total == kMaxLoggedSyscalls + 3);
  CHECK(log.syscalls()[3].count == 2);
}

TEST_CASE("notified kill: only a kill in the program is a kill; a refused CONTINUE or a disagreement is internal") {
  CHECK(notified_kill(SECCOMP_RET_KILL_PROCESS, 0) == NotifiedKill::Kill);
  CHECK(notified_kill(SECCOMP_RET_KILL_THREAD, 0) == NotifiedKill::Kill);  // 0: also what a bare action reads as
  CHECK(notified_kill(SECCOMP_RET_LOG, EINVAL) == NotifiedKill::CannotContinue);
  CHECK(notified_kill(SECCOMP_RET_KILL_THREAD, EINVAL) == NotifiedKill::CannotContinue);
  for (uint32_t other : {SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_TRAP, SECCOMP_RET_TRACE,
                         SECCOMP_RET_USER_NOTIF, SECCOMP_RET_LOG})
    CHECK(notified_kill(other, 0) == NotifiedKill::Inconsistent);
}

TEST_CASE("logged calls: the stderr description names the ABI, syscall, number and six arguments") {
  Text<256> t;
  describe_call(call(AUDIT_ARCH_X86_64, 83, 0x7ffd0010), t);
  CHECK(std::string(t.view()) == "mkdir (83) args: 0x7ffd0010, 0x1ed, 0x0, 0x0, 0x0, 0x0");
  t.clear();
  describe_call(call(AUDIT_ARCH_X86_64, 0x40000000 | 63, 1), t);
  CHECK(std::string(t.view()) == "x32 uname (1073741887) args: 0x1, 0x1ed, 0x0, 0x0, 0x0, 0x0");
}

TEST_CASE("report: \"logged\" lists each syscall with its count, \"logged_calls\" the total; absent when none") {
  JobResult r;
  r.status = 7;
  r.reason = "exited";
  std::string plain = report_json(r);
  CHECK(plain.find("logged") == std::string::npos);
  LoggedCalls log;
  r.seccomp.logged = &log;
  CHECK(report_json(r).find("logged") == std::string::npos);  // an empty record says nothing
  record_logged(log, call(AUDIT_ARCH_X86_64, 83, 140737488351232));
  record_logged(log, call(AUDIT_ARCH_X86_64, 83, 1));
  record_logged(log, call(AUDIT_ARCH_I386, 122, 2));
  std::string json = report_json(r);
  CHECK(
      json.find(", \"logged\": [{\"name\": \"mkdir\", \"abi\": \"x86_64\", \"nr\": 83, \"args\": "
                "[140737488351232, 493, 0, 0, 0, 0], \"count\": 2}, {\"name\": \"uname\", \"abi\": \"i386\", "
                "\"nr\": 122, \"args\": [2, 493, 0, 0, 0, 0], \"count\": 1}], \"logged_calls\": 3, \"policy\": null") !=
      std::string::npos);
  CHECK(json.rfind("{\"status\": 7, \"reason\": \"exited\"", 0) == 0);
}

TEST_CASE("report: a full record of the largest entries still fits") {
  LoggedCalls log;
  for (uint32_t nr = 0; nr < kMaxLoggedSyscalls; ++nr) {
    SeccompCall c = call(AUDIT_ARCH_X86_64, 0x40000000 | (300 + nr), ~uint64_t{0});
    for (uint64_t& a : c.args) a = ~uint64_t{0};
    record_logged(log, c);
    log.syscalls()[nr].count = ~uint64_t{0};
  }
  log.total = ~uint64_t{0};
  JobResult r;
  r.reason = "exited";
  r.seccomp.has_syscall = true;
  r.seccomp.syscall_name = "unknown";
  r.seccomp.syscall_abi = "x32";
  r.seccomp.logged = &log;
  std::string json = report_json(r);
  CHECK(json.size() > 16 * 200);
  CHECK(json.back() == '\n');
}

TEST_CASE("logged calls: socket, ioctl, clone and prctl have an entry per value of their key argument") {
  CHECK(key_arg(AUDIT_ARCH_X86_64, 41) == 0);   // socket: the family
  CHECK(key_arg(AUDIT_ARCH_X86_64, 16) == 1);   // ioctl: the command
  CHECK(key_arg(AUDIT_ARCH_X86_64, 56) == 0);   // clone: the flags
  CHECK(key_arg(AUDIT_ARCH_X86_64, 157) == 0);  // prctl: the option
  CHECK(key_arg(AUDIT_ARCH_X86_64, 0) == -1);   // read
  CHECK(key_arg(AUDIT_ARCH_I386, 54) == 1);     // i386 ioctl
  LoggedCalls log;
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 41, 2)) == Logged::First);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 41, 2)) == Logged::Again);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 41, 10)) == Logged::First);
  SeccompCall tcgets = call(AUDIT_ARCH_X86_64, 16, 1);
  tcgets.args[1] = 0x5401;
  SeccompCall fionbio = tcgets;
  fionbio.args[1] = 0x5421;
  SeccompCall other_fd = tcgets;
  other_fd.args[0] = 7;  // not the key: the same entry
  CHECK(record_logged(log, tcgets) == Logged::First);
  CHECK(record_logged(log, fionbio) == Logged::First);
  CHECK(record_logged(log, other_fd) == Logged::Again);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 0, 3)) == Logged::First);
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 0, 4)) == Logged::Again);  // read: one entry whatever the fd
  CHECK(log.distinct == 5);
  JobResult r;
  r.reason = "exited";
  r.seccomp.logged = &log;
  std::string json = report_json(r);
  CHECK(json.find("{\"name\": \"socket\", \"abi\": \"x86_64\", \"nr\": 41, \"args\": [10, 493, 0, 0, 0, 0], "
                  "\"count\": 1, \"key_arg\": 0}") != std::string::npos);
  CHECK(json.find("\"args\": [1, 21505, 0, 0, 0, 0], \"count\": 2, \"key_arg\": 1}") != std::string::npos);
  CHECK(
      json.find("{\"name\": \"read\", \"abi\": \"x86_64\", \"nr\": 0, \"args\": [3, 493, 0, 0, 0, 0], \"count\": 2}") !=
      std::string::npos);
}

TEST_CASE("logged calls: --logged-max's larger record, streamed whole into the report") {
  static LoggedSyscall entries[4096];
  LoggedCalls log;
  log.more = entries;
  log.capacity = 4096;
  for (uint32_t nr = 0; nr < 4096; ++nr) {
    SeccompCall c = call(AUDIT_ARCH_X86_64, 0x40000000 | (1000 + nr), ~uint64_t{0});
    for (uint64_t& a : c.args) a = ~uint64_t{0};
    CHECK(record_logged(log, c) == Logged::First);
  }
  CHECK(record_logged(log, call(AUDIT_ARCH_X86_64, 99999, 0)) == Logged::Unlisted);
  CHECK(log.distinct == 4096);
  CHECK(log.unlisted == 1);
  JobResult r;
  r.reason = "exited";
  r.seccomp.logged = &log;
  std::string json = report_json(r);
  size_t entries_seen = 0;
  for (size_t at = json.find("\"count\": 1"); at != std::string::npos; at = json.find("\"count\": 1", at + 1))
    ++entries_seen;
  CHECK(entries_seen == 4096);
  CHECK(json.find("\"logged_calls\": 4097") != std::string::npos);
  CHECK(json.back() == '\n');
}
