// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <vector>

#include "launch_stats.h"

using stockade::bench::fit_line;
using stockade::bench::percentile_sorted;
using stockade::bench::summarize;

TEST_CASE("median of an odd and an even count, in microseconds") {
  CHECK(summarize({3000, 1000, 2000}).median_us == doctest::Approx(2.0));
  CHECK(summarize({4000, 1000, 3000, 2000}).median_us == doctest::Approx(2.5));
}

TEST_CASE("nearest-rank percentiles") {
  std::vector<int64_t> v;
  for (int64_t i = 1; i <= 200; ++i) v.push_back(i);
  CHECK(percentile_sorted(v, 99) == 198);
  CHECK(percentile_sorted(v, 90) == 180);
  CHECK(percentile_sorted(v, 100) == 200);
  CHECK(percentile_sorted(v, 0.1) == 1);
}

TEST_CASE("min, max, mean and the count of slow outliers") {
  // Median 1000 ns: 3001 is over three times it, 3000 is not.
  const auto s = summarize({1000, 1000, 1000, 3000, 3001, 900, 1100});
  CHECK(s.count == 7);
  CHECK(s.min_us == doctest::Approx(0.9));
  CHECK(s.max_us == doctest::Approx(3.001));
  CHECK(s.mean_us == doctest::Approx(11001.0 / 7 / 1000));
  CHECK(s.over_3x_median == 1);
}

TEST_CASE("an empty sample gives zeros") {
  const auto s = summarize({});
  CHECK(s.count == 0);
  CHECK(s.median_us == 0);
}

TEST_CASE("least squares through three bind counts") {
  const double x[] = {0, 20, 80};
  const double y[] = {500, 600, 900};  // exactly 5 per unit
  const auto l = fit_line(x, y);
  CHECK(l.slope == doctest::Approx(5.0));
  CHECK(l.intercept == doctest::Approx(500.0));
  const double noisy[] = {500, 640, 900};
  // Sxy = 16800, Sxx = 10400/3: slope 63/13.
  CHECK(fit_line(x, noisy).slope == doctest::Approx(63.0 / 13.0));
}

TEST_CASE("a line needs two distinct x values") {
  const double x[] = {20, 20};
  const double y[] = {1, 2};
  CHECK(fit_line(x, y).slope == 0);
}
