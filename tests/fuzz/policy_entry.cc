// SPDX-License-Identifier: Apache-2.0
// The .policy front end on arbitrary text. Includes resolve only to the
// shipped policies/ and the front end test fixtures, read once at start-up:
// a fuzzed `include "/dev/zero"` must not read the disk.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "entry_points.h"
#include "frontend/frontend.h"

namespace stockade::fuzz {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> load_includable() {
  std::map<std::string, std::string> files;
  for (const char* dir : {STOCKADE_FUZZ_POLICY_DIR, STOCKADE_FUZZ_FIXTURE_DIR}) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".policy") continue;
      std::ifstream in(e.path(), std::ios::binary);
      files[e.path().filename().string()] =
          std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
  }
  return files;
}

}  // namespace

void policy_frontend(const uint8_t* data, size_t size) {
  static const std::map<std::string, std::string> includable = load_includable();
  frontend::Options opts;
  opts.read = [](const std::string& path, std::string& error) -> std::optional<std::string> {
    auto it = includable.find(fs::path(path).filename().string());
    if (it == includable.end()) {
      error = "not one of the fuzz harness's files";
      return std::nullopt;
    }
    return it->second;
  };
  std::string text(reinterpret_cast<const char*>(data), size);
  diag::SourceMap sources;
  diag::Sink sink;
  ir::PolicySet set;
  frontend::compile_text("fuzz.policy", text, STOCKADE_FUZZ_POLICY_DIR, opts, sources, sink, set);
  (void)diag::render_all(sink, sources);  // the caret excerpts read the sources too
}

}  // namespace stockade::fuzz
