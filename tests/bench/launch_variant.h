// SPDX-License-Identifier: Apache-2.0
// One thing being timed (a name, a prepared command, its samples) and the
// interleaved rounds that time several of them side by side, so drift on a
// shared machine hits every variant alike.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "launch_spawn.h"
#include "launch_stats.h"

namespace stockade::bench {

class Variant {
 public:
  Variant(std::string name, std::vector<std::string> argv);
  ~Variant();
  Variant(const Variant&) = delete;
  Variant& operator=(const Variant&) = delete;

  const std::string& name() const { return name_; }
  Prepared& command() { return *cmd_; }
  bool failed() const { return failed_; }
  const std::vector<int64_t>& samples() const { return samples_; }
  // CPU time (user + system) of each timed launch's process tree: unlike
  // wall time it hardly moves when other work shares the machine.
  Summary cpu_summary() const { return summarize(cpu_samples_); }
  long max_rss_kib() const { return max_rss_kib_; }
  Summary summary() const { return summarize(samples_); }

  // One sequential launch; a failure is reported on stderr once and the
  // variant is dropped from later rounds.
  void run(int null_fd, bool keep_sample);
  // `total` launches at `width` in flight; nullopt-like: elapsed_ns 0 on failure.
  Throughput run_parallel_jobs(int null_fd, int total, int width);

 private:
  void report_failure(const std::string& what);

  std::string name_;
  std::unique_ptr<Prepared> cmd_;
  int err_fd_ = -1;  // memfd: the child's stderr, shown when a launch fails
  bool failed_ = false;
  std::vector<int64_t> samples_;
  std::vector<int64_t> cpu_samples_;
  long max_rss_kib_ = 0;
};

// `warmup` untimed rounds, then `runs` rounds; each round launches every
// variant once, starting from a different one each time.
void run_rounds(const std::vector<Variant*>& variants, int warmup, int runs, int null_fd);

}  // namespace stockade::bench
