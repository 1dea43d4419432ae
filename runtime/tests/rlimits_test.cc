// SPDX-License-Identifier: Apache-2.0
// The rlimits that stand in for the pids and memory cgroup limits where an
// ordinary user has no cgroup (rlimits.h): the values set, what caps them,
// the note's words, and that the job really gets them.
#include <doctest/doctest.h>

#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "rlimits.h"

using namespace stockade;

namespace {

constexpr int kPids = static_cast<int>(table::CgroupLimit::Pids);
constexpr int kMemory = static_cast<int>(table::CgroupLimit::Memory);
constexpr int kCpu = static_cast<int>(table::CgroupLimit::CpuMsPerSec);
constexpr int kNproc = static_cast<int>(table::Rlimit::Nproc);

bool per_userns_kernel() {
  utsname u;
  uname(&u);
  int major = 0, minor = 0;
  sscanf(u.release, "%d.%d", &major, &minor);
  return major > 5 || (major == 5 && minor >= 14);
}

Plan limited(uint64_t pids, uint64_t memory) {
  Plan p;
  if (pids != 0) p.cgroup[kPids] = {true, pids};
  if (memory != 0) p.cgroup[kMemory] = {true, memory};
  return p;
}

// Runs `body` in a child (it may lower limits for good); its exit status.
template <class F>
int in_child(F body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

}  // namespace

TEST_CASE("pids and memory become RLIMIT_NPROC and RLIMIT_DATA, and the note says so") {
  if (!per_userns_kernel()) return;  // the other branch is below
  Plan p = limited(64, 128 << 20);
  Text<384> note;
  bound_without_cgroup(p, note);
  CHECK(p.rlimits[kNproc].set);
  CHECK(p.rlimits[kNproc].soft == 64);
  CHECK(p.rlimits[kNproc].hard == 64);
  CHECK(p.data.set);
  CHECK(p.data.soft == 128 << 20);
  CHECK(p.data.hard == 128 << 20);
  CHECK(std::string(note.view()) ==
        "; processes: RLIMIT_NPROC 64 in the job's user namespace; memory: RLIMIT_DATA 134217728 bytes a process, "
        "the job killed when its processes' resident memory and tmpfs files pass 134217728; "
        "memfd_create, shmget refused");
  CHECK(p.memory_watch == 128 << 20);  // the watchdog's limit: MEMORY_MAX, not the capped rlimit
}

TEST_CASE("no cgroup limits: nothing set, nothing said") {
  Plan p;
  Text<64> note;
  bound_without_cgroup(p, note);
  CHECK_FALSE(p.rlimits[kNproc].set);
  CHECK_FALSE(p.data.set);
  CHECK(note.size() == 0);
  CHECK(p.memory_watch == 0);
}

TEST_CASE("memory alone; a cpu limit is said to be skipped") {
  Plan p = limited(0, 256 << 20);
  p.cgroup[kCpu] = {true, 100};
  Text<384> note;
  bound_without_cgroup(p, note);
  CHECK_FALSE(p.rlimits[kNproc].set);
  CHECK(p.data.soft == 256 << 20);
  CHECK(std::string(note.view()) ==
        "; cpu_ms_per_sec skipped (needs a cgroup); memory: RLIMIT_DATA 268435456 bytes a process, the job killed "
        "when its processes' resident memory and tmpfs files pass 268435456; memfd_create, shmget refused");
  CHECK(p.memory_watch == 256 << 20);
}

TEST_CASE("a lower nproc of the policy wins; a higher one gives way") {
  if (!per_userns_kernel()) return;
  Plan p = limited(1024, 0);
  p.rlimits[kNproc] = {true, 100, 200};
  Text<384> note;
  bound_without_cgroup(p, note);
  CHECK(p.rlimits[kNproc].soft == 100);
  CHECK(p.rlimits[kNproc].hard == 200);
  CHECK(std::string(note.view()) == "; processes: RLIMIT_NPROC 200 in the job's user namespace");
  Plan q = limited(64, 0);
  q.rlimits[kNproc] = {true, 5000, 5000};
  bound_without_cgroup(q, note);
  CHECK(q.rlimits[kNproc].soft == 64);
  CHECK(q.rlimits[kNproc].hard == 64);
}

TEST_CASE("capped at the launcher's own hard limit, so setrlimit cannot fail") {
  int rc = in_child([] {
    rlimit low{512 << 20, 512 << 20};
    if (setrlimit(RLIMIT_DATA, &low) != 0) return 1;
    Plan p = limited(0, 4ULL << 30);
    Text<384> note;
    bound_without_cgroup(p, note);
    if (p.data.hard != 512 << 20) return 2;
    Failure f{};
    if (!apply_rlimits(p, f)) return 3;
    rlimit now{};
    getrlimit(RLIMIT_DATA, &now);
    return now.rlim_cur == 512 << 20 && now.rlim_max == 512 << 20 ? 0 : 4;
  });
  CHECK(rc == 0);
}

TEST_CASE("apply_rlimits sets RLIMIT_DATA and RLIMIT_NPROC on the process") {
  if (!per_userns_kernel()) return;
  int rc = in_child([] {
    Plan p = limited(77, 300 << 20);
    Text<384> note;
    bound_without_cgroup(p, note);
    Failure f{};
    if (!apply_rlimits(p, f)) return 1;
    rlimit data{}, nproc{};
    getrlimit(RLIMIT_DATA, &data);
    getrlimit(RLIMIT_NPROC, &nproc);
    if (data.rlim_cur != 300 << 20 || data.rlim_max != 300 << 20) return 2;
    return nproc.rlim_cur == 77 && nproc.rlim_max == 77 ? 0 : 3;
  });
  CHECK(rc == 0);
}

TEST_CASE("before Linux 5.14 no RLIMIT_NPROC (per uid there), and the note says so") {
  if (per_userns_kernel()) return;
  Plan p = limited(64, 0);
  Text<384> note;
  bound_without_cgroup(p, note);
  CHECK_FALSE(p.rlimits[kNproc].set);
  CHECK(std::string(note.view()) ==
        "; processes: no bound (before Linux 5.14 RLIMIT_NPROC counts every job of the uid)");
}
