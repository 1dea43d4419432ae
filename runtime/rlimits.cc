// SPDX-License-Identifier: Apache-2.0
#include "rlimits.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/utsname.h>

#include "text.h"

namespace stockade {
namespace {

// glibc's prlimit takes an enum (the unit tests build with glibc), musl's an int.
using ResourceId = decltype(RLIMIT_DATA);

struct Resource {
  ResourceId id;
  const char* name;
};

Resource resource(table::Rlimit r) {
  using table::Rlimit;
  switch (r) {
    case Rlimit::As: return {RLIMIT_AS, "RLIMIT_AS"};
    case Rlimit::Core: return {RLIMIT_CORE, "RLIMIT_CORE"};
    case Rlimit::Cpu: return {RLIMIT_CPU, "RLIMIT_CPU"};
    case Rlimit::Fsize: return {RLIMIT_FSIZE, "RLIMIT_FSIZE"};
    case Rlimit::Nofile: return {RLIMIT_NOFILE, "RLIMIT_NOFILE"};
    case Rlimit::Nproc: return {RLIMIT_NPROC, "RLIMIT_NPROC"};
    case Rlimit::Stack: return {RLIMIT_STACK, "RLIMIT_STACK"};
    case Rlimit::Memlock: return {RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK"};
    case Rlimit::Msgqueue: return {RLIMIT_MSGQUEUE, "RLIMIT_MSGQUEUE"};
    case Rlimit::Rtprio: return {RLIMIT_RTPRIO, "RLIMIT_RTPRIO"};
  }
  return {static_cast<ResourceId>(RLIMIT_NLIMITS), "?"};  // unreachable; prlimit says EINVAL
}

void add_limit(TextBuf& t, uint64_t v) {
  if (v == RLIM_INFINITY) t.add("inf");
  else t.add_u64(v);
}

// Linux 5.14 or later: RLIMIT_NPROC counted per user namespace.
bool nproc_per_userns() {
  utsname u;
  if (uname(&u) != 0) return false;
  const char* p = u.release;
  uint64_t major = scan_unsigned(&p, 10);
  if (*p++ != '.') return false;
  uint64_t minor = scan_unsigned(&p, 10);
  return major > 5 || (major == 5 && minor >= 14);
}

// hard = min(want, the launcher's hard limit, the policy's hard limit);
// soft = hard, or the policy's soft limit if lower.
uint64_t bound(PlanRlimit& l, ResourceId resource, uint64_t want) {
  rlimit now{};
  if (prlimit(0, resource, nullptr, &now) == 0 && now.rlim_max < want) want = now.rlim_max;
  if (l.set && l.hard < want) want = l.hard;
  l = {true, l.set && l.soft < want ? l.soft : want, want};
  return want;
}

}  // namespace

void bound_without_cgroup(Plan& plan, TextBuf& note) {
  using table::CgroupLimit;
  const PlanCgroup& pids = plan.cgroup[static_cast<int>(CgroupLimit::Pids)];
  const PlanCgroup& mem = plan.cgroup[static_cast<int>(CgroupLimit::Memory)];
  if (pids.set) {
    if (nproc_per_userns()) {
      note.add("; processes: RLIMIT_NPROC ")
          .add_u64(bound(plan.rlimits[static_cast<int>(table::Rlimit::Nproc)], RLIMIT_NPROC, pids.value))
          .add(" in the job's user namespace");
    } else {
      note.add("; processes: no bound (before Linux 5.14 RLIMIT_NPROC counts every job of the uid)");
    }
  }
  if (plan.cgroup[static_cast<int>(CgroupLimit::CpuMsPerSec)].set)
    note.add("; cpu_ms_per_sec skipped (needs a cgroup)");
  if (mem.set) {
    plan.memory_watch = mem.value;
    note.add("; memory: RLIMIT_DATA ").add_u64(bound(plan.data, RLIMIT_DATA, mem.value));
    note.add(" bytes a process, the job killed when its processes' resident memory and tmpfs files pass ")
        .add_u64(mem.value)
        .add("; memfd_create, shmget refused");
  }
}

namespace {

bool set_one(ResourceId id, const char* name, const PlanRlimit& l, Failure& f) {
  rlimit value{l.soft, l.hard};
  // prlimit on ourselves, not setrlimit: musl's setrlimit falls back to
  // setting every thread's limit (__synccall), ~2 KB of the launcher.
  if (prlimit(0, id, &value, nullptr) == 0) return true;
  int err = errno;
  Text<96> v;
  v.add(name).add(" soft ");
  add_limit(v, l.soft);
  v.add(" hard ");
  add_limit(v, l.hard);
  if (err == EPERM) v.add(" (above the launcher's hard limit?)");
  return fail(f, Step::Rlimits, "setrlimit", v.view(), err);
}

}  // namespace

bool apply_rlimits(const Plan& plan, Failure& f) {
  for (int i = 0; i < kRlimitCount; ++i) {
    const PlanRlimit& l = plan.rlimits[i];
    if (!l.set) continue;
    Resource r = resource(static_cast<table::Rlimit>(i));
    if (!set_one(r.id, r.name, l, f)) return false;
  }
  return !plan.data.set || set_one(RLIMIT_DATA, "RLIMIT_DATA", plan.data, f);
}

}  // namespace stockade
