// SPDX-License-Identifier: Apache-2.0
// The launcher while the sandbox runs: waits on the init's pidfd (no polling
// timer), enforces the wall-time limit with a timerfd, and forwards
// SIGTERM/SIGINT/SIGHUP to init (which passes them to the job); a second
// such signal, or the time limit, SIGKILLs init, and with it the pid
// namespace. It also takes the job's seccomp listener (over the notify
// socket) and answers its notifications (seccomp/listener.h): a LOGged call
// is let through, a KILL (or anything the listener cannot have been told)
// kills init the same way. With live stats it also
// writes their lines (stats.h) on a timerfd of its own.
//
// The memory watchdog, for a job with a memory limit and no memory cgroup
// (an ordinary user without --cgroup; rlimits.h): on a timerfd, every
// few ms near the limit and seldom far from it, it sums RssAnon + RssShmem over the sandbox's processes (stats.h
// tree_memory) and SIGKILLs init, and with it the pid namespace, once the
// sum passes the limit. What that sum misses and counts twice:
// docs/running-jobs.md, "Resource bounds without a cgroup".
#pragma once

#include <linux/filter.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "fail.h"
#include "io.h"
#include "policy_table.h"
#include "seccomp/listener.h"
#include "stats.h"

namespace stockade {

// Blocks the forwarded signals and returns a signalfd for them. Called
// before clone, so a signal arriving during set-up is not lost.
bool take_signals(Fd& sigfd, Failure& f);

struct SupervisedFds {
  int sigfd;        // the forwarded signals
  int notify_sock;  // parent end of the notify socket (channel.h)
  int hello_sock;   // with live stats or the watchdog: the release socket, where init sends its tmpfs roots
                    // (tmpfs_roots.h) and the job says hello (kill_log.h); else -1
};

struct Outcome {
  int init_status = 0;  // wait status of init
  rusage usage{};       // init and everything it reaped
  bool timed_out = false;
  int forwarded = 0;  // how many signals arrived
  int first_signal = 0;
  SeccompWatch seccomp;        // what the job's seccomp listener said (seccomp/listener.h)
  pid_t job_pid = 0;           // the job's host pid, when hello_sock was watched and it said hello
  uint64_t memory_peak = 0;    // the watchdog's highest sum, bytes
  bool memory_killed = false;  // the watchdog killed the sandbox
};

// The watchdog's pace (supervisor.cc next_watch_us): docs/running-jobs.md
// has the measurements these come from.
constexpr uint64_t kWatchMinUs = 1000;
constexpr uint64_t kWatchMaxUs = 50000;
constexpr uint64_t kWatchBytesPerUs = 64 << 10;  // 64 MiB a ms

// `program` is the policy's kill program (Policy::seccomp), the one the
// notify variant was made from; empty when the policy has no filter.
// `memory_max` (0: off): the watchdog's limit in bytes.
// `stats` (null: off): its start line once the job said hello, then a
// sample every interval (stats.h).
bool supervise(pid_t init, int pidfd, SupervisedFds in, const table::List<sock_filter>& program, uint64_t time_limit_ms,
               uint64_t memory_max, StatsStream* stats, Outcome& out, Failure& f);

// Kills and reaps init after a failure in the parent's part of set-up.
void abort_sandbox(pid_t init, int pidfd);

}  // namespace stockade
