// SPDX-License-Identifier: Apache-2.0
// The directories no caller-chosen target (a list value's own path, a
// volume's target, a `within` directory) may be at or below: the kernel's
// views and the system's own trees. The one list the front end's `within`
// check and the importer read; the launcher keeps its own copy
// (runtime/params.cc system_dir_problem), held to this one by tests/vocab.
#pragma once

#include <array>
#include <string_view>

namespace stockade::vocab {

inline constexpr std::array<std::string_view, 13> kSystemDirs = {
    "/proc", "/dev", "/sys", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/run"};

// `/`, or at or below one of kSystemDirs.
inline bool is_system_dir(std::string_view path) {
  if (path == "/") return true;
  for (std::string_view sys : kSystemDirs)
    if (path == sys || (path.size() > sys.size() && path.substr(0, sys.size()) == sys && path[sys.size()] == '/'))
      return true;
  return false;
}

}  // namespace stockade::vocab
