// SPDX-License-Identifier: Apache-2.0
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "io.h"
#include "test_switch.h"
#include "text.h"

namespace stockade {
namespace {

using table::CgroupLimit;

constexpr const char* kRoot = "/sys/fs/cgroup";
constexpr const char* kV1Names[kControllerCount] = {"memory", "pids", "cpu", "cpuacct"};
constexpr uint64_t kCpuPeriodUs = 100000;

bool exists(const char* path) {
  struct stat st;
  return stat(path, &st) == 0;
}

// The launcher's own cgroup path in the hierarchy whose /proc/self/cgroup
// line has `controller` in its list ("" for the v2 line "0::").
bool own_path(const char* controller, TextBuf& out) {
  char buf[4096];
  size_t len = 0;
  if (read_file("/proc/self/cgroup", buf, sizeof buf, &len) != 0) return false;
  std::string_view all(buf, len);
  while (!all.empty()) {
    size_t nl = all.find('\n');
    std::string_view line = all.substr(0, nl);
    all = nl == std::string_view::npos ? std::string_view() : all.substr(nl + 1);
    size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string_view::npos || b == std::string_view::npos) continue;
    std::string_view list = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    bool match = *controller == '\0' ? list.empty() : false;
    while (!match && !list.empty()) {
      size_t c = list.find(',');
      match = list.substr(0, c) == controller;
      list = c == std::string_view::npos ? std::string_view() : list.substr(c + 1);
    }
    if (match) {
      out.add(path == "/" ? "" : path);
      return true;
    }
  }
  return false;
}

bool write_knob(const char* dir, const char* knob, std::string_view value, Failure& f) {
  Text<600> path;
  path.add(dir).add('/').add(knob);
  if (int err = write_file(path.c_str(), value)) {
    path.add(" = ").add(value);
    return fail(f, Step::Cgroup, "write", path.view(), err);
  }
  return true;
}

bool write_num(const char* dir, const char* knob, uint64_t v, Failure& f) {
  Text<32> t;
  t.add_u64(v);
  return write_knob(dir, knob, t.view(), f);
}

uint64_t read_u64(const char* dir, const char* knob, const char* key) {
  Text<600> path;
  path.add(dir).add('/').add(knob);
  char buf[2048];
  size_t len = 0;
  if (read_file(path.c_str(), buf, sizeof buf, &len) != 0) return 0;
  const char* p = buf;
  if (key != nullptr) {
    // "key N" lines, as in memory.events / memory.oom_control.
    size_t klen = strlen(key);
    for (p = buf; *p != '\0'; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
      if (strncmp(p, key, klen) == 0 && p[klen] == ' ') break;
    if (*p == '\0') return 0;
    p += klen + 1;
  }
  return scan_unsigned(&p, 10);
}

}  // namespace

// A launcher killed with SIGKILL cannot remove its cgroup. The next launch
// sweeps them: a <prefix><pid> directory whose launcher is gone and which
// holds no process is removed (rmdir refuses a non-empty one anyway).
// (getdents64 directly: opendir would pull malloc into the launcher.)
void sweep_stale_cgroups(const char* parent, std::string_view prefix) {
  Fd dir(openat(AT_FDCWD, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.ok()) return;
  alignas(8) char buf[4096];
  long n;
  while ((n = syscall(SYS_getdents64, dir.get(), buf, sizeof buf)) > 0) {
    for (long at = 0; at < n;) {
      const auto* e = reinterpret_cast<const dirent64*>(buf + at);
      at += e->d_reclen;
      std::string_view name = e->d_name;
      if (name.substr(0, prefix.size()) != prefix) continue;
      const char* end = e->d_name + prefix.size();
      uint64_t pid = scan_unsigned(&end, 10);
      if (pid == 0 || pid > 0x7fffffff || *end != '\0') continue;
      if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
      unlinkat(dir.get(), e->d_name, AT_REMOVEDIR);
    }
  }
}

namespace {

// v1: is `base` (/sys/fs/cgroup/cpuacct) the hierarchy the Cpu directory
// was made in (co-mounted "cpu,cpuacct", usually linked under both names)?
bool same_hierarchy(const Cgroup& cg, const char* base) {
  if (cg.dir[static_cast<int>(CgroupController::Cpu)][0] == '\0') return false;
  Text<64> cpu;
  cpu.add(kRoot).add("/cpu");
  struct stat a, b;
  return stat(cpu.c_str(), &a) == 0 && stat(base, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool make_dir(const Cgroup& cg, char* out, std::string_view base, std::string_view own, pid_t launcher, Failure& f) {
  Text<600> parent;
  parent.add(base).add(own);
  sweep_stale_cgroups(parent.c_str(), "stockade-");
  TextBuf path(out, 512);
  path.add(base).add(own).add("/stockade-").add_u64(static_cast<uint64_t>(launcher));
  cgroup_announce(cg, cg.version, path.view());
  int made = mkdir(path.c_str(), 0755);
  test_stop_at("mkdir");
  if (made != 0) {
    int err = errno;
    fail(f, Step::Cgroup, "mkdir", path.view(), err);  // before out (path's buffer) is cleared
    out[0] = '\0';
    return false;
  }
  return true;
}

bool limits_v1(const Cgroup& cg, const Plan& p, Failure& f) {
  const PlanCgroup* c = p.cgroup;
  const char* mem = cg.dir[static_cast<int>(CgroupController::Memory)];
  if (c[static_cast<int>(CgroupLimit::Memory)].set &&
      !write_num(mem, "memory.limit_in_bytes", c[static_cast<int>(CgroupLimit::Memory)].value, f))
    return false;
  if (c[static_cast<int>(CgroupLimit::MemorySwap)].set &&
      !write_num(mem, "memory.memsw.limit_in_bytes", c[static_cast<int>(CgroupLimit::MemorySwap)].value, f))
    return false;
  if (c[static_cast<int>(CgroupLimit::Pids)].set &&
      !write_num(cg.dir[static_cast<int>(CgroupController::Pids)], "pids.max",
                 c[static_cast<int>(CgroupLimit::Pids)].value, f))
    return false;
  if (c[static_cast<int>(CgroupLimit::CpuMsPerSec)].set) {
    const char* cpu = cg.dir[static_cast<int>(CgroupController::Cpu)];
    // ms per second -> µs per 100 ms period.
    if (!write_num(cpu, "cpu.cfs_period_us", kCpuPeriodUs, f)) return false;
    if (!write_num(cpu, "cpu.cfs_quota_us", c[static_cast<int>(CgroupLimit::CpuMsPerSec)].value * 100, f)) return false;
  }
  return true;
}

bool limits_v2(const Cgroup& cg, const Plan& p, Failure& f) {
  const PlanCgroup* c = p.cgroup;
  const char* dir = cg.dir[0];
  const PlanCgroup& mem = c[static_cast<int>(CgroupLimit::Memory)];
  const PlanCgroup& swap = c[static_cast<int>(CgroupLimit::MemorySwap)];
  if (mem.set && !write_num(dir, "memory.max", mem.value, f)) return false;
  // v2 limits swap alone; the policy states memory + swap.
  if (swap.set && !write_num(dir, "memory.swap.max", swap.value > mem.value ? swap.value - mem.value : 0, f))
    return false;
  const PlanCgroup& pids = c[static_cast<int>(CgroupLimit::Pids)];
  if (pids.set && !write_num(dir, "pids.max", pids.value, f)) return false;
  const PlanCgroup& cpu = c[static_cast<int>(CgroupLimit::CpuMsPerSec)];
  if (cpu.set) {
    Text<48> v;
    v.add_u64(cpu.value * 100).add(' ').add_u64(kCpuPeriodUs);
    if (!write_knob(dir, "cpu.max", v.view(), f)) return false;
  }
  return true;
}

enum class Need { No, Wanted, Required };

// Memory is required when the policy limits it, and wanted for a report
// (its peak memory) and without a pid namespace (the cgroup is then what
// finds the job's leftover processes). Otherwise no cgroup at all: making
// and removing one is a good part of a launch's kernel time. A machine that
// cannot give us a memory cgroup still runs jobs without memory limits.
Need need(const Plan& p, bool report, CgroupController c) {
  auto limit = [&](CgroupLimit l) { return p.cgroup[static_cast<int>(l)].set; };
  switch (c) {
    case CgroupController::Memory:
      if (limit(CgroupLimit::Memory) || limit(CgroupLimit::MemorySwap)) return Need::Required;
      return report || !ns_on(p, table::Namespace::Pid) ? Need::Wanted : Need::No;
    case CgroupController::Pids: return limit(CgroupLimit::Pids) ? Need::Required : Need::No;
    case CgroupController::Cpu: return limit(CgroupLimit::CpuMsPerSec) ? Need::Required : Need::No;
    // The report's CPU times: init's rusage misses a job killed with it.
    case CgroupController::CpuAcct: return report ? Need::Wanted : Need::No;
  }
  return Need::No;
}

// v2: the job's cgroup goes below the launcher's own, whose subtree must
// offer the controllers. A cgroup that holds processes (the launcher's)
// cannot enable them (EBUSY, "no internal processes"); the hierarchy root
// is exempt, so that is the fallback.
bool enable_v2(const Plan& plan, bool report, const char* parent, Failure& f) {
  for (int i = 0; i < kControllerCount; ++i) {
    Need n = need(plan, report, static_cast<CgroupController>(i));
    // v2 keeps CPU times in every cgroup's cpu.stat: nothing to enable.
    if (n == Need::No || static_cast<CgroupController>(i) == CgroupController::CpuAcct) continue;
    Text<16> enable;
    enable.add('+').add(kV1Names[i]);
    Failure ignored{};
    if (!write_knob(parent, "cgroup.subtree_control", enable.view(), n == Need::Required ? f : ignored) &&
        n == Need::Required)
      return false;
  }
  return true;
}

void sleep_ms(long ms) {
  timespec ts{0, ms * 1000000};
  nanosleep(&ts, nullptr);
}

constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC

// The v2 job cgroup below `parent` (an absolute cgroup2 directory): the
// controllers its limits need enabled in parent's subtree_control, then
// stockade-<pid>, its limits, and the directory fd for CLONE_INTO_CGROUP.
bool create_v2(const Plan& plan, std::string_view parent, pid_t launcher, Cgroup& cg, Failure& f) {
  cg.version = 2;
  if (!make_dir(cg, cg.dir[0], parent, "", launcher, f)) return false;
  if (!limits_v2(cg, plan, f)) return cgroup_destroy(cg), false;
  cg.into_fd = openat(AT_FDCWD, cg.dir[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg.into_fd < 0) return fail(f, Step::Cgroup, "open", cg.dir[0], errno), cgroup_destroy(cg), false;
  return true;
}

}  // namespace

void cgroup_announce(const Cgroup& cg, int version, std::string_view dir) {
  if (cg.keeper_fd < 0) return;
  Text<520> record;
  record.add(static_cast<char>('0' + version)).add(dir).add('\0');
  // The socket's buffer takes these few hundred bytes at once. A keeper
  // that is gone is EPIPE (MSG_NOSIGNAL: no SIGPIPE to kill the launcher),
  // which costs only the clean-up after a SIGKILL.
  send(cg.keeper_fd, record.c_str(), record.size(), MSG_NOSIGNAL);
}

bool cgroup_wanted(const Plan& plan, bool report, const char* delegated) {
  bool any = delegated != nullptr;
  for (int i = 0; i < kControllerCount; ++i)
    any = any || need(plan, report, static_cast<CgroupController>(i)) != Need::No;
  return any;
}

bool cgroup_create(const Plan& plan, bool report, pid_t launcher, const char* delegated, Cgroup& cg, Failure& f) {
  if (delegated != nullptr) {
    // The caller's own cgroup v2 directory: always used, limits or not.
    struct statfs sfs;
    if (statfs(delegated, &sfs) != 0) return fail(f, Step::Cgroup, "--cgroup", delegated, errno);
    if (sfs.f_type != kCgroup2Magic)
      return fail_reason(f, Step::Cgroup, "--cgroup", delegated, "not a cgroup v2 directory");
    if (!enable_v2(plan, true, delegated, f)) return false;
    return create_v2(plan, delegated, launcher, cg, f);
  }
  if (!cgroup_wanted(plan, report, nullptr)) return true;
  Text<64> probe;
  probe.add(kRoot).add("/cgroup.controllers");
  if (exists(probe.c_str())) {
    Text<512> own;
    if (!own_path("", own)) return fail_reason(f, Step::Cgroup, "read", "/proc/self/cgroup", "no cgroup v2 line");
    Text<600> parent;
    parent.add(kRoot).add(own.view());
    if (!enable_v2(plan, report, parent.c_str(), f)) {
      if (f.err != EBUSY || own.size() == 0 || !enable_v2(plan, report, kRoot, f)) return false;
      parent.clear();
      parent.add(kRoot);
    }
    return create_v2(plan, parent.view(), launcher, cg, f);
  }
  cg.version = 1;
  for (int i = 0; i < kControllerCount; ++i) {
    Need n = need(plan, report, static_cast<CgroupController>(i));
    if (n == Need::No) continue;
    Text<64> base;
    base.add(kRoot).add('/').add(kV1Names[i]);
    Text<512> own;
    if (!exists(base.c_str()) || !own_path(kV1Names[i], own)) {
      if (n == Need::Wanted) continue;
      cgroup_destroy(cg);
      return fail(f, Step::Cgroup, "find v1 hierarchy", base.view(), ENOENT);
    }
    if (static_cast<CgroupController>(i) == CgroupController::CpuAcct && same_hierarchy(cg, base.c_str())) {
      // "cpu,cpuacct": the Cpu directory already counts; joined once.
      TextBuf(cg.dir[i], sizeof cg.dir[i]).add(cg.dir[static_cast<int>(CgroupController::Cpu)]);
      continue;
    }
    if (!make_dir(cg, cg.dir[i], base.view(), own.view(), launcher, f)) return cgroup_destroy(cg), false;
  }
  if (!limits_v1(cg, plan, f)) return cgroup_destroy(cg), false;
  for (int i = 0; i < kControllerCount; ++i) {
    if (cg.dir[i][0] == '\0') continue;
    if (i == static_cast<int>(CgroupController::CpuAcct) &&
        strcmp(cg.dir[i], cg.dir[static_cast<int>(CgroupController::Cpu)]) == 0)
      continue;
    Text<600> tasks;
    tasks.add(cg.dir[i]).add("/tasks");
    cg.join_fd[i] = openat(AT_FDCWD, tasks.c_str(), O_WRONLY | O_CLOEXEC);
    if (cg.join_fd[i] < 0) return fail(f, Step::Cgroup, "open", tasks.view(), errno), cgroup_destroy(cg), false;
  }
  return true;
}

bool cgroup_join_self(Cgroup& cg, Failure& f) {
  for (int i = 0; i < kControllerCount; ++i) {
    if (cg.join_fd[i] < 0) continue;
    int err = write_all(cg.join_fd[i], "0");
    if (err != 0) {
      Text<600> what;
      what.add(cg.dir[i]).add(cg.version == 2 ? "/cgroup.procs = 0" : "/tasks = 0");
      return fail(f, Step::CgroupJoin, "write", what.view(), err);
    }
  }
  cgroup_close_join_fds(cg);
  return true;
}

bool cgroup_join_by_procs(Cgroup& cg, Failure& f) {
  Text<600> procs;
  procs.add(cg.dir[0]).add("/cgroup.procs");
  cg.join_fd[0] = openat(AT_FDCWD, procs.c_str(), O_WRONLY | O_CLOEXEC);
  if (cg.join_fd[0] < 0) return fail(f, Step::Cgroup, "open", procs.view(), errno);
  close(cg.into_fd);
  cg.into_fd = -1;
  return true;
}

void cgroup_close_join_fds(Cgroup& cg) {
  for (int& fd : cg.join_fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  if (cg.into_fd >= 0) close(cg.into_fd);
  cg.into_fd = -1;
}

uint64_t cgroup_peak_memory(const Cgroup& cg) {
  const char* mem = cg.dir[static_cast<int>(CgroupController::Memory)];
  if (cg.version == 2) return read_u64(cg.dir[0], "memory.peak", nullptr);
  if (cg.version == 1 && mem[0] != '\0') return read_u64(mem, "memory.max_usage_in_bytes", nullptr);
  return 0;
}

bool cgroup_memory_now(const Cgroup& cg, uint64_t* current, uint64_t* peak) {
  const char* mem = cg.version == 2 ? cg.dir[0] : cg.dir[static_cast<int>(CgroupController::Memory)];
  if (cg.version == 0 || mem[0] == '\0') return false;
  Text<600> path;
  path.add(mem).add(cg.version == 2 ? "/memory.current" : "/memory.usage_in_bytes");
  char buf[32];
  size_t len = 0;
  if (read_file(path.c_str(), buf, sizeof buf, &len) != 0 || len == 0) return false;
  const char* p = buf;
  *current = scan_unsigned(&p, 10);
  *peak = read_u64(mem, cg.version == 2 ? "memory.peak" : "memory.max_usage_in_bytes", nullptr);
  return true;
}

bool cgroup_oom_killed(const Cgroup& cg) {
  const char* mem = cg.dir[static_cast<int>(CgroupController::Memory)];
  if (cg.version == 2) return read_u64(cg.dir[0], "memory.events", "oom_kill") > 0;
  if (cg.version == 1 && mem[0] != '\0') return read_u64(mem, "memory.oom_control", "oom_kill") > 0;
  return false;
}

bool cgroup_cpu_times(const Cgroup& cg, uint64_t* user_ms, uint64_t* sys_ms) {
  if (cg.version == 2) {
    Text<600> stat;
    stat.add(cg.dir[0]).add("/cpu.stat");
    if (!exists(stat.c_str())) return false;
    *user_ms = read_u64(cg.dir[0], "cpu.stat", "user_usec") / 1000;
    *sys_ms = read_u64(cg.dir[0], "cpu.stat", "system_usec") / 1000;
    return true;
  }
  const char* acct = cg.dir[static_cast<int>(CgroupController::CpuAcct)];
  if (cg.version != 1 || acct[0] == '\0') return false;
  Text<600> usage;
  usage.add(acct).add("/cpuacct.usage_user");
  if (!exists(usage.c_str())) return false;
  *user_ms = read_u64(acct, "cpuacct.usage_user", nullptr) / 1000000;
  *sys_ms = read_u64(acct, "cpuacct.usage_sys", nullptr) / 1000000;
  return true;
}

void cgroup_destroy(Cgroup& cg) {
  cgroup_close_join_fds(cg);
  for (char* dir : cg.dir) {
    if (dir[0] == '\0') continue;
    // Normally empty already (the pid namespace died with init); without a
    // pid namespace, stragglers are killed here. Bounded: ~2 s.
    for (int attempt = 0; attempt < 200; ++attempt) {
      if (rmdir(dir) == 0 || errno == ENOENT) break;
      if (errno != EBUSY) break;
      // v2 (5.14+): one write kills everything below, forks in flight too.
      Text<600> kill_knob;
      kill_knob.add(dir).add("/cgroup.kill");
      if (cg.version == 2 && write_file(kill_knob.c_str(), "1") == 0) {
        sleep_ms(10);
        continue;
      }
      Text<600> procs;
      procs.add(dir).add("/cgroup.procs");
      char buf[4096];
      size_t len = 0;
      if (read_file(procs.c_str(), buf, sizeof buf, &len) == 0) {
        for (const char* p = buf; *p != '\0';) {
          uint64_t pid = scan_unsigned(&p, 10);
          if (pid > 0 && pid <= 0x7fffffff) kill(static_cast<pid_t>(pid), SIGKILL);
          while (*p == '\n') ++p;
          if (pid == 0) break;
        }
      }
      sleep_ms(10);
    }
    dir[0] = '\0';
  }
  cg.version = 0;
}

}  // namespace stockade
