// SPDX-License-Identifier: Apache-2.0
// The per-job cgroup: limits (memory, memory+swap, pids, cpu) and the peak
// memory / CPU time / OOM-kill counters for the report. cgroup v2 when the unified
// hierarchy holds the controllers, else v1 (one directory per controller);
// detected at run time. Created under the launcher's own cgroup, removed
// after the job's processes are gone.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include <string_view>

#include "fail.h"
#include "plan.h"

namespace stockade {

// CpuAcct: v1 only, for the report's CPU times (v2 has cpu.stat in every
// cgroup); it may be the same hierarchy as Cpu ("cpu,cpuacct").
enum class CgroupController { Memory, Pids, Cpu, CpuAcct };
constexpr int kControllerCount = 4;

struct Cgroup {
  int version = 0;                       // 0: none (rootless or no hierarchy), 1, 2
  char dir[kControllerCount][512] = {};  // v1: one per controller ("" = unused); v2: dir[0]
  // How the sandbox child gets in, opened by the launcher before clone:
  // v2: the directory, for clone3(CLONE_INTO_CGROUP); v1: each hierarchy's
  // `tasks` file, which the child writes "0" to itself. Both avoid the
  // parent writing another process's pid to cgroup.procs, which takes the
  // kernel's global threadgroup lock and waits for an RCU grace period
  // (5-20 ms per launch). -1 = unused.
  int into_fd = -1;
  int join_fd[kControllerCount] = {-1, -1, -1, -1};
  // The cgroup keeper's socket (cgroup_keeper.h), -1 without one: every
  // directory is named there before its mkdir.
  int keeper_fd = -1;
};

// Whether cgroup_create will make anything (the keeper is started first).
bool cgroup_wanted(const Plan& plan, bool report, const char* delegated);
// Names `dir` (cgroup v`version`) to the keeper, before the mkdir, so a
// launcher killed right after it still has it removed.
void cgroup_announce(const Cgroup& cg, int version, std::string_view dir);

// Makes the job's cgroup when the plan needs one (limits; a report wants
// peak memory; no pid namespace). Leaves cg.version 0 when none is needed.
// `delegated` (--cgroup DIR, may be null): a cgroup v2 directory the caller
// may write (root, or delegated to a user); the job's cgroup is then always
// made below it, also without root.
bool cgroup_create(const Plan& plan, bool report, pid_t launcher, const char* delegated, Cgroup& cg, Failure& f);
// The sandbox child, first thing after clone: joins the v1 hierarchies
// through join_fd (a no-op for v2, where clone3 put it in) and closes the
// fds. Writing "0" to `tasks` moves only the caller's thread, which the
// kernel does without the global lock; the child is single-threaded.
bool cgroup_join_self(Cgroup& cg, Failure& f);
// v2 on a kernel without CLONE_INTO_CGROUP: the child joins by writing "0"
// to cgroup.procs instead (slower, same result).
bool cgroup_join_by_procs(Cgroup& cg, Failure& f);
// The launcher, after clone: its copies of the join fds are closed.
void cgroup_close_join_fds(Cgroup& cg);
uint64_t cgroup_peak_memory(const Cgroup& cg);  // 0: unknown
// The job's memory now and its peak so far (live stats, stats.h): v2
// memory.current and memory.peak (0 before Linux 5.19), v1
// memory.usage_in_bytes and memory.max_usage_in_bytes. False when the
// cgroup has no memory controller (none made, or a controller-less v2).
bool cgroup_memory_now(const Cgroup& cg, uint64_t* current, uint64_t* peak);
bool cgroup_oom_killed(const Cgroup& cg);
// The CPU time of everything that ever ran in the job's cgroup (v2
// cpu.stat user_usec / system_usec, v1 cpuacct.usage_user / usage_sys):
// right also after a kill, where init's rusage misses the job it never
// reaped. False without a cgroup that counts CPU.
bool cgroup_cpu_times(const Cgroup& cg, uint64_t* user_ms, uint64_t* sys_ms);
// Kills whatever is left in the cgroup, waits for it to empty, rmdirs.
void cgroup_destroy(Cgroup& cg);

// Removes, below `parent`, each empty `<prefix><pid>` directory whose
// launcher (pid) is gone: what a SIGKILLed launcher left.
void sweep_stale_cgroups(const char* parent, std::string_view prefix);

}  // namespace stockade
