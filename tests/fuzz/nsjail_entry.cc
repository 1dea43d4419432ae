// SPDX-License-Identifier: Apache-2.0
// `stockadec import-nsjail` on arbitrary configs, protobuf text or JSON
// (the importer picks JSON when the text starts with '{'; the JSON harness
// feeds only such text), and the front end on every policy it writes.
#include <string>

#include "entry_points.h"
#include "frontend/frontend.h"
#include "import.h"

namespace stockade::fuzz {
namespace {

void import_and_compile(const std::string& file, const std::string& text) {
  diag::Sink sink;
  diag::SourceMap sources;
  sources.add(file, text);
  std::string policy;
  bool ok = nsjail::import_config(file, text, {}, sink, policy);
  (void)diag::render_all(sink, sources);
  if (!ok) return;
  // The imported policy names only itself: no include may reach the disk.
  frontend::Options opts;
  opts.read = [](const std::string&, std::string& error) -> std::optional<std::string> {
    error = "includes are off in the fuzz harness";
    return std::nullopt;
  };
  diag::SourceMap compiled_sources;
  diag::Sink compile_sink;
  ir::PolicySet set;
  frontend::compile_text(file + ".policy", policy, ".", opts, compiled_sources, compile_sink, set);
  (void)diag::render_all(compile_sink, compiled_sources);
}

}  // namespace

void nsjail_text(const uint8_t* data, size_t size) {
  import_and_compile("fuzz.cfg", std::string(reinterpret_cast<const char*>(data), size));
}

void nsjail_json(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') return import_and_compile("fuzz.json", text);
  // Not insert(0, "{"): GCC 12 -O3 -Wrestrict misfires on it.
  std::string wrapped(1, '{');
  wrapped.append(text);
  import_and_compile("fuzz.json", wrapped);
}

}  // namespace stockade::fuzz
