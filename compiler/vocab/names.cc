#include "vocab/names.h"

namespace stockade::vocab {

std::string path_problem(std::string_view path) {
  if (path.empty() || path[0] != '/') return "not an absolute path";
  if (path == "/") return "";
  if (path.find('\0') != std::string_view::npos) return "it holds a NUL byte";
  if (path.size() > kPathMax) return "longer than 4095 bytes";
  if (path.back() == '/') return "trailing '/'";
  size_t start = 1;
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

bool valid_name(std::string_view name) {
  if (name.empty() || name == "." || name == ".." || name.size() > kNameMax) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace stockade::vocab
