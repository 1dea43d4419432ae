// SPDX-License-Identifier: Apache-2.0
// Starting and timing one launch: fork, execve, wait4, with CLOCK_MONOTONIC
// read around them, so no shell or helper sits in the timed path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stockade::bench {

// A command ready to exec: argv is flattened before fork so the child only
// calls async-signal-safe functions.
class Prepared {
 public:
  explicit Prepared(std::vector<std::string> argv);
  // In the child, open `source_fd` afresh through /proc/self/fd (a new open
  // file description, so each launch reads it from offset 0) and place it at
  // `as_fd`. bubblewrap reads its seccomp program this way.
  void reopen_fd(int source_fd, int as_fd);

  char* const* argv() const { return ptrs_.data(); }
  const std::vector<std::string>& words() const { return words_; }
  const char* reopen_path() const { return reopen_path_.empty() ? nullptr : reopen_path_.c_str(); }
  int reopen_as() const { return reopen_as_; }

  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  Prepared(Prepared&&) = delete;

 private:
  std::vector<std::string> words_;
  std::vector<char*> ptrs_;
  std::string reopen_path_;
  int reopen_as_ = -1;
};

struct RunResult {
  int64_t wall_ns = 0;
  int status = 0;       // as from wait4
  long maxrss_kib = 0;  // ru_maxrss of the child and the descendants it reaped
  int64_t cpu_ns = 0;   // user + system CPU time of the same processes
};

// The child's stdin is /dev/null, stdout is `stdout_fd` (-1: /dev/null too),
// stderr is `stderr_fd`.
struct ChildIo {
  int null_fd = -1;
  int stderr_fd = -1;
  int stdout_fd = -1;
};

// fork + execve; returns the pid or -1 with errno set.
int start_child(const Prepared& cmd, const ChildIo& io);

// One timed launch, start to reap. wall_ns < 0 if fork failed.
RunResult run_once(const Prepared& cmd, const ChildIo& io);

struct Throughput {
  int64_t elapsed_ns = 0;
  int launched = 0;
  int failed = 0;  // exited non-zero or by a signal
  int first_bad_status = 0;
};

// `total` launches with at most `width` in flight; the clock runs from the
// first fork to the last reap.
Throughput run_parallel(const Prepared& cmd, const ChildIo& io, int total, int width);

bool exited_zero(int status);
std::string describe_status(int status);

}  // namespace stockade::bench
