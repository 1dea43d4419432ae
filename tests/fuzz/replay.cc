// SPDX-License-Identifier: Apache-2.0
// `fuzz_replay HARNESS PATH...`: runs each file (a directory: each file in
// it, sorted) through the harness's entry point, as libFuzzer would. A
// regression that crashes again takes this process down with it; ctest's
// timeout catches one that hangs again. Built with the normal toolchain.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "entry_points.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_replay HARNESS FILE|DIR...\n");
    return 2;
  }
  stockade::fuzz::Entry entry = stockade::fuzz::entry_named(argv[1]);
  if (entry == nullptr) {
    std::fprintf(stderr, "fuzz_replay: unknown harness %s\n", argv[1]);
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 2; i < argc; ++i) {
    fs::path p = argv[i];
    if (fs::is_directory(p)) {
      for (const auto& e : fs::directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "fuzz_replay: no inputs\n");
    return 2;
  }
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "fuzz_replay: cannot read %s\n", f.c_str());
      return 2;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    std::printf("ok %s\n", f.filename().c_str());
  }
  return 0;
}
