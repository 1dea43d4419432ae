// The per-job cgroup: limits (memory, memory+swap, pids, cpu) and the peak
// memory / OOM-kill counters for the report. cgroup v2 when the unified
// hierarchy holds the controllers, else v1 (one directory per controller);
// detected at run time. Created under the launcher's own cgroup, removed
// after the job's processes are gone.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "fail.h"
#include "plan.h"

namespace stockade {

enum class CgroupController { Memory, Pids, Cpu };
constexpr int kControllerCount = 3;

struct Cgroup {
  int version = 0;                         // 0: none (rootless or no hierarchy), 1, 2
  char dir[kControllerCount][512] = {};    // v1: one per controller ("" = unused); v2: dir[0]
};

bool cgroup_create(const Plan& plan, pid_t launcher, Cgroup& cg, Failure& f);
bool cgroup_enter(const Cgroup& cg, pid_t pid, Failure& f);
uint64_t cgroup_peak_memory(const Cgroup& cg);  // 0: unknown
bool cgroup_oom_killed(const Cgroup& cg);
// Kills whatever is left in the cgroup, waits for it to empty, rmdirs.
void cgroup_destroy(Cgroup& cg);

}  // namespace stockade
