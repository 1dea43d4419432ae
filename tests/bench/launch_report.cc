// SPDX-License-Identifier: Apache-2.0
#include "launch_report.h"

#include <cstdio>

namespace stockade::bench {

void print_table_header(const char* first_column) {
  std::printf("  %-42s %5s %8s %8s %8s %8s %8s %6s %8s %8s\n", first_column, "runs", "min", "median", "p90", "p99",
              "max", ">3xmed", "vs bwrap", "cpu med");
}

void print_row(const std::string& name, const Summary& s, const Summary& cpu, double baseline_median_us) {
  char ratio[32] = "";
  if (baseline_median_us > 0) std::snprintf(ratio, sizeof ratio, "%.2fx", s.median_us / baseline_median_us);
  std::printf("  %-42s %5zu %6.0fus %6.0fus %6.0fus %6.0fus %6.0fus %6zu %8s %6.0fus\n", name.c_str(), s.count,
              s.min_us, s.median_us, s.p90_us, s.p99_us, s.max_us, s.over_3x_median, ratio, cpu.median_us);
}

void print_target(const char* what, const std::optional<std::string>& measured, bool pass,
                  const std::string& why_missing) {
  if (!measured) {
    std::printf("  %-64s %-30s n/a  (%s)\n", what, "-", why_missing.c_str());
    return;
  }
  std::printf("  %-64s %-30s %s\n", what, measured->c_str(), pass ? "PASS" : "FAIL");
}

std::string format(const char* fmt, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, value);
  return buf;
}

}  // namespace stockade::bench
