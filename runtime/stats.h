// SPDX-License-Identifier: Apache-2.0
// `--stats-fd N [--stats-interval MS]`: live figures for the worker while
// the job runs, one JSON object per line on fd N (schema in
// docs/running-jobs.md):
//   "start"  once the job exists: the host pids of the launcher, the
//            sandbox's init and the job, and where memory is read from;
//   "sample" every interval: memory now and peak of the job's whole tree,
//            its CPU user/system time so far, how many processes;
//   "exit"   at the end, however the launch ended: the --report figures.
// Memory comes from the job's cgroup (the launcher makes one when stats are
// asked for, as for --report), else from the sum of VmRSS / VmHWM over the
// sandbox's processes in /proc. CPU is the sum over those processes of their
// own and their reaped children's time (/proc/<pid>/stat), so nothing that
// ended is lost. A worker that stops reading never stalls or kills the
// launcher: a full pipe skips a line, a closed one ends the stream.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "fail.h"
#include "report.h"

namespace stockade {

struct StatsStream {
  int fd = -1;  // -1: no stats asked for
  uint32_t interval_ms = 0;
  uint64_t start_ms = 0;  // the launch's start (CLOCK_MONOTONIC), for wall_ms
  pid_t launcher = 0;
  pid_t init = 0;  // the sandbox's pid 1, as the host sees it
  pid_t job = 0;   // 0 until the job said hello
  const Cgroup* cgroup = nullptr;
  uint64_t peak = 0;    // the highest memory figure seen so far
  bool broken = false;  // a write failed: no more lines
};

// Before any set-up: `fd` is open for writing and not one of the fds the
// policy passes to the job. (Usage error, exit 120.)
bool stats_check_fd(int fd, const table::List<uint32_t>& pass_fds, Failure& f);
// The "start" line, once the job's host pid is known.
void stats_start(StatsStream& s, pid_t job);
// One "sample" line.
void stats_sample(StatsStream& s);
// The memory watchdog's figure (supervisor.h): RssAnon + RssShmem summed
// over init and every process below it, in bytes; `queue` has room for
// `cap` pids (processes beyond are not counted) and holds the `walked`
// pids it found.
uint64_t tree_memory(pid_t init, pid_t* queue, uint32_t cap, uint32_t* walked);
// The "exit" line with the report's figures.
void stats_end(StatsStream& s, const JobResult& r);

}  // namespace stockade
