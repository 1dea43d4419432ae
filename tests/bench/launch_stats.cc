// SPDX-License-Identifier: Apache-2.0
#include "launch_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stockade::bench {

double percentile_sorted(std::span<const int64_t> sorted, double p) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least p% of samples at or below it.
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]);
}

Summary summarize(std::vector<int64_t> ns) {
  Summary s;
  if (ns.empty()) return s;
  std::sort(ns.begin(), ns.end());
  const size_t n = ns.size();
  const double median_ns = n % 2 == 1 ? static_cast<double>(ns[n / 2])
                                      : (static_cast<double>(ns[n / 2 - 1]) + static_cast<double>(ns[n / 2])) / 2.0;
  const double sum =
      std::accumulate(ns.begin(), ns.end(), 0.0, [](double a, int64_t b) { return a + static_cast<double>(b); });
  s.count = n;
  s.min_us = static_cast<double>(ns.front()) / 1e3;
  s.median_us = median_ns / 1e3;
  s.p90_us = percentile_sorted(ns, 90) / 1e3;
  s.p99_us = percentile_sorted(ns, 99) / 1e3;
  s.max_us = static_cast<double>(ns.back()) / 1e3;
  s.mean_us = sum / static_cast<double>(n) / 1e3;
  s.over_3x_median = static_cast<size_t>(
      std::count_if(ns.begin(), ns.end(), [&](int64_t v) { return static_cast<double>(v) > 3.0 * median_ns; }));
  return s;
}

Line fit_line(std::span<const double> x, std::span<const double> y) {
  Line l;
  const size_t n = std::min(x.size(), y.size());
  if (n < 2) return l;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  if (sxx == 0) return l;
  l.slope = sxy / sxx;
  l.intercept = my - l.slope * mx;
  return l;
}

}  // namespace stockade::bench
