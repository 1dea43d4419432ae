// SPDX-License-Identifier: Apache-2.0
// Order statistics and a least-squares line for the launch benchmark. Pure
// functions over samples; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace stockade::bench {

struct Summary {
  size_t count = 0;
  double min_us = 0;
  double median_us = 0;
  double p90_us = 0;
  double p99_us = 0;
  double max_us = 0;
  double mean_us = 0;
  size_t over_3x_median = 0;  // samples slower than three times the median
};

// Samples are wall times in nanoseconds; an empty input gives a zero Summary.
Summary summarize(std::vector<int64_t> ns);

// Nearest-rank percentile (p in 0..100] of sorted values.
double percentile_sorted(std::span<const int64_t> sorted, double p);

struct Line {
  double slope = 0;
  double intercept = 0;
};

// Least-squares fit y = slope*x + intercept; needs two distinct x values.
Line fit_line(std::span<const double> x, std::span<const double> y);

}  // namespace stockade::bench
