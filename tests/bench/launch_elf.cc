// SPDX-License-Identifier: Apache-2.0
#include "launch_elf.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <vector>

namespace stockade::bench {

ElfInfo read_elf_info(const std::string& path) {
  ElfInfo info;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    info.error = "cannot open " + path;
    return info;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  info.file_bytes = bytes.size();
  Elf64_Ehdr eh{};
  if (bytes.size() < sizeof eh) {
    info.error = path + ": too short for an ELF header";
    return info;
  }
  std::memcpy(&eh, bytes.data(), sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64) {
    info.error = path + ": not a 64-bit ELF file";
    return info;
  }
  bool has_interp = false;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    const uint64_t off = eh.e_phoff + static_cast<uint64_t>(i) * eh.e_phentsize;
    Elf64_Phdr ph{};
    if (off + sizeof ph > bytes.size()) {
      info.error = path + ": program header out of range";
      return info;
    }
    std::memcpy(&ph, bytes.data() + off, sizeof ph);
    if (ph.p_type == PT_INTERP) has_interp = true;
    if (ph.p_type == PT_LOAD) info.load_memsz += ph.p_memsz;
  }
  info.is_static = !has_interp;
  info.ok = true;
  return info;
}

}  // namespace stockade::bench
