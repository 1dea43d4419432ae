// The job's cgroup outlives a launcher killed with SIGKILL: nothing in the
// sandbox survives it (parent-death signal, pid namespace), but a cgroup
// directory is only removed by someone calling rmdir. The keeper is a small
// child of the launcher, forked right after the cgroup is made and before
// any sandbox fd exists, that holds nothing open, runs in a session of its
// own (so a worker's SIGKILL to the launcher's process group misses it),
// ignores the signals a terminal sends, and waits for the launcher to die
// (PR_SET_PDEATHSIG); then it removes the cgroup and exits. On every other
// ending the launcher removes the cgroup itself, then ends and reaps the
// keeper, so no process of ours outlives the launcher. It is cloned with
// CLONE_VM (cgroup_keeper.cc says why that is safe), so starting it costs
// no page-table copy.
#pragma once

#include "cgroup.h"
#include "fail.h"

namespace stockade {

struct Keeper {
  pid_t pid = 0;  // 0: no cgroup to keep
  void* stack = nullptr;
};
bool start_cgroup_keeper(const Cgroup& cg, Keeper* keeper, Failure& f);
// Kills and reaps it, frees its stack. A no-op for Keeper{}.
void end_cgroup_keeper(Keeper& keeper);

}  // namespace stockade
