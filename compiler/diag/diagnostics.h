// SPDX-License-Identifier: Apache-2.0
// Diagnostics are data: every compiler stage reports into a Sink that the
// driver passes in, and only the driver renders them. Rendering is
// `file:line:col: severity: message`, the source line, and a caret run under
// the offending token; tests pin that exact text.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace stockade::diag {

enum class Severity { Error, Warning, Note };

struct Location {
  std::string file;     // as the user named it (never made absolute)
  uint32_t line = 0;    // 1-based; 0 = no position (whole file / command line)
  uint32_t column = 0;  // 1-based, in bytes
  uint32_t length = 1;  // caret run length, in bytes (at least 1)
};

struct Diagnostic {
  Location location;
  Severity severity = Severity::Error;
  std::string message;
};

// The text of every file a compile read, for caret excerpts.
class SourceMap {
 public:
  void add(const std::string& file, std::string text);
  // The 1-based line of `file`, without its newline; empty if unknown.
  std::string line(const std::string& file, uint32_t line) const;
  bool has(const std::string& file) const;

 private:
  std::map<std::string, std::string> files_;
};

class Sink {
 public:
  void error(Location where, std::string message);
  void warning(Location where, std::string message);
  void note(Location where, std::string message);
  void report(Diagnostic d);

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
};

// `file:line:col: error: message` plus excerpt and caret when the source is
// known and the location has a line. Ends with a newline.
std::string render(const Diagnostic& d, const SourceMap& sources);
std::string render_all(const Sink& sink, const SourceMap& sources);

}  // namespace stockade::diag
