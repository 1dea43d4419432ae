// SPDX-License-Identifier: Apache-2.0
#include "launch_variant.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace stockade::bench {

Variant::Variant(std::string name, std::vector<std::string> argv)
    : name_(std::move(name)), cmd_(std::make_unique<Prepared>(std::move(argv))) {
  err_fd_ = memfd_create("launch-bench-stderr", MFD_CLOEXEC);
  if (err_fd_ < 0) {
    std::perror("launch-bench: memfd_create");
    failed_ = true;
  }
}

Variant::~Variant() {
  if (err_fd_ >= 0) close(err_fd_);
}

void Variant::report_failure(const std::string& what) {
  failed_ = true;
  std::fprintf(stderr, "launch-bench: %s: %s\n  command:", name_.c_str(), what.c_str());
  for (const std::string& w : cmd_->words()) std::fprintf(stderr, " %s", w.c_str());
  char buf[2048];
  const ssize_t n = pread(err_fd_, buf, sizeof buf - 1, 0);
  if (n > 0) {
    buf[n] = '\0';
    std::fprintf(stderr, "\n  its stderr:\n%s", buf);
  }
  std::fprintf(stderr, "\n");
}

void Variant::run(int null_fd, bool keep_sample) {
  if (failed_) return;
  // Empty the capture outside the timed part.
  if (ftruncate(err_fd_, 0) != 0 || lseek(err_fd_, 0, SEEK_SET) != 0) {
    report_failure("cannot reset the stderr capture");
    return;
  }
  const RunResult r = run_once(*cmd_, ChildIo{null_fd, err_fd_});
  if (r.wall_ns < 0) {
    report_failure("fork failed");
    return;
  }
  if (!exited_zero(r.status)) {
    report_failure(describe_status(r.status));
    return;
  }
  if (!keep_sample) return;
  samples_.push_back(r.wall_ns);
  cpu_samples_.push_back(r.cpu_ns);
  max_rss_kib_ = std::max(max_rss_kib_, r.maxrss_kib);
}

Throughput Variant::run_parallel_jobs(int null_fd, int total, int width) {
  Throughput t;
  if (failed_) return t;
  if (ftruncate(err_fd_, 0) != 0 || lseek(err_fd_, 0, SEEK_SET) != 0) {
    report_failure("cannot reset the stderr capture");
    return t;
  }
  t = run_parallel(*cmd_, ChildIo{null_fd, err_fd_}, total, width);
  if (t.failed > 0) {
    report_failure(std::to_string(t.failed) + " of " + std::to_string(total) +
                   " parallel launches failed, first: " + describe_status(t.first_bad_status));
  }
  return t;
}

void run_rounds(const std::vector<Variant*>& variants, int warmup, int runs, int null_fd) {
  const size_t n = variants.size();
  for (int round = 0; round < warmup + runs; ++round) {
    for (size_t k = 0; k < n; ++k) {
      variants[(static_cast<size_t>(round) + k) % n]->run(null_fd, round >= warmup);
    }
  }
}

}  // namespace stockade::bench
