// SPDX-License-Identifier: Apache-2.0
// Printing: the per-variant table and the target lines (PASS/FAIL, never an
// exit status: the targets are informational).
#pragma once

#include <optional>
#include <string>

#include "launch_stats.h"

namespace stockade::bench {

void print_table_header(const char* first_column);
// `baseline_median_us` > 0 fills the ratio column; `cpu` is the CPU-time
// summary of the same launches.
void print_row(const std::string& name, const Summary& s, const Summary& cpu, double baseline_median_us);

// One target line; `measured` is empty when it could not be measured.
void print_target(const char* what, const std::optional<std::string>& measured, bool pass,
                  const std::string& why_missing = "");

std::string format(const char* fmt, double value);

}  // namespace stockade::bench
