// SPDX-License-Identifier: Apache-2.0
// Small file and text helpers the C++ tests share (one copy, not one per
// test file).
#pragma once

#include <filesystem>
#include <string>

namespace stockade::testing {

// The whole file, or "" when it cannot be read (the caller's checks on the
// content then fail and name what was expected).
std::string read_file(const std::filesystem::path& path);

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace stockade::testing
