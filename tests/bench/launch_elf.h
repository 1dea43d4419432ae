// SPDX-License-Identifier: Apache-2.0
// What the benchmark reports about the launcher binary: file size, whether it
// is statically linked (no PT_INTERP), and the memory its loadable segments
// take.
#pragma once

#include <cstdint>
#include <string>

namespace stockade::bench {

struct ElfInfo {
  bool ok = false;
  std::string error;
  uint64_t file_bytes = 0;
  bool is_static = false;   // no program interpreter
  uint64_t load_memsz = 0;  // sum of PT_LOAD p_memsz (text + data + bss)
};

ElfInfo read_elf_info(const std::string& path);

}  // namespace stockade::bench
