// SPDX-License-Identifier: Apache-2.0
#include "launch_memory.h"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "launch_spawn.h"

namespace stockade::bench {

namespace {

// The memfd's contents from offset 0, at most 2 KiB.
std::string read_all(int fd) {
  char buf[2048];
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

bool reset(int fd) { return ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0; }

}  // namespace

PeakRss measure_peak_rss(const std::string& helper, const std::vector<std::string>& argv, int runs, int null_fd,
                         int reopen_source_fd, int reopen_as) {
  PeakRss r;
  std::vector<std::string> words{helper};
  words.insert(words.end(), argv.begin(), argv.end());
  Prepared cmd(std::move(words));
  if (reopen_source_fd >= 0) cmd.reopen_fd(reopen_source_fd, reopen_as);
  const int out = memfd_create("launch-rss-out", MFD_CLOEXEC);
  const int err = memfd_create("launch-rss-err", MFD_CLOEXEC);
  if (out < 0 || err < 0) {
    r.error = "memfd_create failed";
  }
  for (int i = 0; out >= 0 && err >= 0 && i < runs; ++i) {
    if (!reset(out) || !reset(err)) {
      r.error = "cannot reset the output captures";
      break;
    }
    const RunResult run = run_once(cmd, ChildIo{null_fd, err, out});
    long kib = -1;
    int status = -1;
    const std::string text = read_all(out);
    if (!exited_zero(run.status) || std::sscanf(text.c_str(), "%ld %d", &kib, &status) != 2) {
      r.error = "launch-rss " + describe_status(run.status) + "; its stderr: " + read_all(err);
      break;
    }
    if (!exited_zero(status)) {
      r.error = "the launch ended with " + describe_status(status) + "; its stderr: " + read_all(err);
      break;
    }
    r.max_kib = std::max(r.max_kib, kib);
    if (i + 1 == runs) r.ok = true;
  }
  if (out >= 0) close(out);
  if (err >= 0) close(err);
  return r;
}

}  // namespace stockade::bench
