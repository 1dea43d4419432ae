// SPDX-License-Identifier: Apache-2.0
#include "files.h"

#include <fstream>
#include <sstream>

namespace stockade::testing {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace stockade::testing
