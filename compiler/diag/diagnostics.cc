// SPDX-License-Identifier: Apache-2.0
#include "diagnostics.h"

#include <algorithm>
#include <utility>

namespace stockade::diag {

void SourceMap::add(const std::string& file, std::string text) { files_[file] = std::move(text); }

bool SourceMap::has(const std::string& file) const { return files_.count(file) != 0; }

std::string SourceMap::line(const std::string& file, uint32_t line) const {
  auto it = files_.find(file);
  if (it == files_.end() || line == 0) return {};
  const std::string& text = it->second;
  size_t start = 0;
  for (uint32_t n = 1; n < line; ++n) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

void Sink::error(Location where, std::string message) {
  report({std::move(where), Severity::Error, std::move(message)});
}
void Sink::warning(Location where, std::string message) {
  report({std::move(where), Severity::Warning, std::move(message)});
}
void Sink::note(Location where, std::string message) { report({std::move(where), Severity::Note, std::move(message)}); }
void Sink::report(Diagnostic d) {
  if (d.severity == Severity::Error) ++errors_;
  items_.push_back(std::move(d));
}

static const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string render(const Diagnostic& d, const SourceMap& sources) {
  const Location& at = d.location;
  std::string out = at.file.empty() ? std::string("stockadec") : at.file;
  if (at.line > 0) {
    out.append(":").append(std::to_string(at.line));  // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
    if (at.column > 0) out.append(":").append(std::to_string(at.column));
  }
  out += ": ";
  out += severity_name(d.severity);
  out += ": ";
  out += d.message;
  out += '\n';
  if (at.line == 0 || at.column == 0 || !sources.has(at.file)) return out;
  std::string text = sources.line(at.file, at.line);
  out += text;
  out += '\n';
  // Keep tabs in the caret line so the caret sits under the token however
  // the terminal expands them.
  std::string pad;
  for (uint32_t i = 0; i + 1 < at.column && i < text.size(); ++i) pad += text[i] == '\t' ? '\t' : ' ';
  for (uint32_t i = static_cast<uint32_t>(text.size()); i + 1 < at.column; ++i) pad += ' ';
  out += pad;
  out += '^';
  uint32_t len = std::max<uint32_t>(at.length, 1);
  // Never run the caret past the end of the line.
  uint32_t room = text.size() >= at.column ? static_cast<uint32_t>(text.size()) - at.column + 1 : 1;
  len = std::min(len, std::max<uint32_t>(room, 1));
  out += std::string(len - 1, '~');
  out += '\n';
  return out;
}

std::string render_all(const Sink& sink, const SourceMap& sources) {
  std::string out;
  for (const Diagnostic& d : sink.all()) out += render(d, sources);
  return out;
}

}  // namespace stockade::diag
