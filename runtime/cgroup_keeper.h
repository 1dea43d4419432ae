// SPDX-License-Identifier: Apache-2.0
// The job's cgroup outlives a launcher killed with SIGKILL: nothing in the
// sandbox survives it (parent-death signal, pid namespace), but a cgroup
// directory is only removed by someone calling rmdir. The keeper is a small
// child of the launcher that removes them. It is started before the first
// cgroup directory exists and put in a process group of its own (setpgid
// from the launcher, so no waiting for it to run) so that a worker's
// SIGKILL to the launcher's process group misses it: a group kill at any
// moment of set-up finds every directory already known to a keeper that
// survives it. The launcher names each directory to it before the mkdir
// (cgroup_announce, over a socket); the keeper holds nothing else open,
// ignores the signals a terminal sends, and reads until EOF, which comes
// when the launcher is gone (the sandbox closes its copy first thing); then
// it removes what it was told of and exits. On every other ending the
// launcher removes the cgroup itself, then ends and reaps the keeper, so no
// process of ours outlives it. It is cloned with CLONE_VM (cgroup_keeper.cc
// says why that is safe), so starting it costs no page-table copy.
#pragma once

#include "cgroup.h"
#include "fail.h"

namespace stockade {

struct Keeper {
  pid_t pid = 0;  // 0: none started
  void* stack = nullptr;
};
// cg.keeper_fd: the launcher's end of the socket.
bool start_cgroup_keeper(Cgroup& cg, Keeper* keeper, Failure& f);
// Kills and reaps it, closes the socket, frees its stack. A no-op for Keeper{}.
void end_cgroup_keeper(Keeper& keeper, Cgroup& cg);

}  // namespace stockade
