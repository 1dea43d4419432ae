// SPDX-License-Identifier: Apache-2.0
// Peak memory of a launch, measured through the static launch-rss helper
// (tests/bench/launch_rss.c says why the driver cannot fork the launch
// itself for this figure).
#pragma once

#include <string>
#include <vector>

namespace stockade::bench {

struct PeakRss {
  bool ok = false;
  long max_kib = 0;   // the largest ru_maxrss over the runs
  std::string error;  // why not ok: the failed run's status and stderr
};

// Runs `helper argv...` `runs` times. `reopen_source_fd` >= 0 is opened afresh
// at `reopen_as` in each child, as Prepared::reopen_fd does.
PeakRss measure_peak_rss(const std::string& helper, const std::vector<std::string>& argv, int runs, int null_fd,
                         int reopen_source_fd = -1, int reopen_as = -1);

}  // namespace stockade::bench
