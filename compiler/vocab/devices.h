// SPDX-License-Identifier: Apache-2.0
// The device nodes a policy may bind with `dev`: the one list the path
// check, the importer and the importer's tests read.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace stockade::vocab {

inline constexpr std::array<std::string_view, 6> kDeviceNodes = {"/dev/null",   "/dev/zero",    "/dev/full",
                                                                 "/dev/random", "/dev/urandom", "/dev/tty"};

inline bool is_device_node(std::string_view path) {
  for (std::string_view node : kDeviceNodes)
    if (node == path) return true;
  return false;
}

// "/dev/null, /dev/zero, ... or /dev/tty", for messages.
inline std::string device_node_list() {
  std::string out;
  for (size_t i = 0; i < kDeviceNodes.size(); ++i) {
    if (i > 0) out += i + 1 == kDeviceNodes.size() ? " or " : ", ";
    out += kDeviceNodes[i];
  }
  return out;
}

}  // namespace stockade::vocab
