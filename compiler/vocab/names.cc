// SPDX-License-Identifier: Apache-2.0
#include "vocab/names.h"

namespace stockade::vocab {

namespace {

// The components of `path` from `start` on: each non-empty, not '.' or '..'.
std::string component_problem(std::string_view path, size_t start) {
  if (path.back() == '/') return "trailing '/'";
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty()) return "empty component ('//')";
    if (part == ".") return "'.' component";
    if (part == "..") return "'..' component";
    start = end + 1;
  }
  return "";
}

}  // namespace

std::string path_problem(std::string_view path) {
  if (path.empty() || path[0] != '/') return "not an absolute path";
  if (path == "/") return "";
  if (path.find('\0') != std::string_view::npos) return "it holds a NUL byte";
  if (path.size() > kPathMax) return "longer than 4095 bytes";
  return component_problem(path, 1);
}

std::string relpath_problem(std::string_view path) {
  if (path.empty()) return "empty relative path";
  if (path[0] == '/') return "not a relative path (starts with '/')";
  if (path.find('\0') != std::string_view::npos) return "it holds a NUL byte";
  if (path.size() > kPathMax) return "longer than 4095 bytes";
  return component_problem(path, 0);
}

bool valid_name(std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.size() > kNameMax) return false;
  for (char c : name) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace stockade::vocab
