// SPDX-License-Identifier: Apache-2.0
#include "pack_tables.h"

#include <elf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "emit_cpp.h"
#include "lz_pack.h"

namespace stockade::emit {
namespace {

constexpr const char* kSection = ".stockade_tables";
constexpr size_t kPage = 4096;

[[noreturn]] void bad(const std::string& why) { throw std::runtime_error("pack-tables: " + why); }

template <class T>
T read_at(const std::string& elf, uint64_t offset) {
  if (offset > elf.size() || elf.size() - offset < sizeof(T)) bad("the ELF file is truncated");
  T v;
  std::memcpy(&v, elf.data() + offset, sizeof(T));
  return v;
}

std::string name_at(const std::string& elf, const Elf64_Shdr& strtab, uint32_t offset) {
  if (offset >= strtab.sh_size) bad("a name outside its string table");
  uint64_t at = strtab.sh_offset + offset;
  size_t end = elf.find('\0', at);
  if (end == std::string::npos || end > strtab.sh_offset + strtab.sh_size) bad("an unterminated name");
  return elf.substr(at, end - at);
}

void add_leb128(std::string& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out += static_cast<char>(v != 0 ? b | 0x80 : b);
  } while (v != 0);
}

}  // namespace

PackedTables pack_tables(const std::string& elf) {
  auto eh = read_at<Elf64_Ehdr>(elf, 0);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64)
    bad("not a little-endian ELF64 x86-64 file");
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) bad("unexpected section header size");
  std::vector<Elf64_Shdr> sh;
  for (uint16_t i = 0; i < eh.e_shnum; ++i) sh.push_back(read_at<Elf64_Shdr>(elf, eh.e_shoff + i * sizeof(Elf64_Shdr)));
  if (eh.e_shstrndx >= sh.size()) bad("no section name table");
  int tables = -1;
  for (size_t i = 0; i < sh.size(); ++i)
    if (name_at(elf, sh[eh.e_shstrndx], sh[i].sh_name) == kSection) tables = static_cast<int>(i);
  if (tables < 0) bad(std::string("no ") + kSection + " section");
  const Elf64_Shdr& t = sh[static_cast<size_t>(tables)];
  if (t.sh_addr != 0) bad(std::string(kSection) + " is not linked at address 0");
  if (t.sh_type != SHT_PROGBITS || t.sh_offset > elf.size() || elf.size() - t.sh_offset < t.sh_size)
    bad(std::string(kSection) + " has no bytes in the file");
  // Anything else the tables' link allocated would be data the image lacks.
  for (size_t i = 0; i < sh.size(); ++i)
    if (static_cast<int>(i) != tables && (sh[i].sh_flags & SHF_ALLOC) != 0 && sh[i].sh_size != 0)
      bad("the tables have data outside " + std::string(kSection) + ": " +
          name_at(elf, sh[eh.e_shstrndx], sh[i].sh_name));
  std::string image = elf.substr(t.sh_offset, t.sh_size);

  std::vector<uint64_t> pointers;
  std::vector<std::pair<std::string, uint64_t>> symbols;  // global, defined in the section
  for (const Elf64_Shdr& s : sh) {
    if (s.sh_type == SHT_RELA && s.sh_info == static_cast<uint32_t>(tables)) {
      for (uint64_t at = 0; at + sizeof(Elf64_Rela) <= s.sh_size; at += sizeof(Elf64_Rela)) {
        auto r = read_at<Elf64_Rela>(elf, s.sh_offset + at);
        if (ELF64_R_TYPE(r.r_info) != R_X86_64_64) bad(fmt::format("a relocation of type {}", ELF64_R_TYPE(r.r_info)));
        if (r.r_offset > image.size() || image.size() - r.r_offset < 8) bad("a relocation outside the tables");
        uint64_t target;
        std::memcpy(&target, image.data() + r.r_offset, 8);
        if (target > image.size()) bad(fmt::format("a pointer at {} to {}, outside the tables", r.r_offset, target));
        pointers.push_back(r.r_offset);
      }
    } else if (s.sh_type == SHT_REL && s.sh_info == static_cast<uint32_t>(tables)) {
      bad("REL relocations (RELA expected)");
    } else if (s.sh_type == SHT_SYMTAB) {
      if (s.sh_link >= sh.size()) bad("a symbol table without names");
      for (uint64_t at = sizeof(Elf64_Sym); at + sizeof(Elf64_Sym) <= s.sh_size; at += sizeof(Elf64_Sym)) {
        auto y = read_at<Elf64_Sym>(elf, s.sh_offset + at);
        if (ELF64_ST_BIND(y.st_info) != STB_GLOBAL || y.st_shndx != tables) continue;
        symbols.emplace_back(name_at(elf, sh[s.sh_link], y.st_name), y.st_value);
      }
    }
  }
  std::sort(pointers.begin(), pointers.end());
  std::sort(symbols.begin(), symbols.end());
  if (symbols.empty()) bad("no global symbols in the tables");
  for (size_t i = 1; i < pointers.size(); ++i)
    if (pointers[i] - pointers[i - 1] < 8) bad("overlapping pointers");

  std::string stream = image;
  uint64_t last = 0;
  for (uint64_t p : pointers) {
    add_leb128(stream, p - last);
    last = p;
  }
  std::string packed = lz_pack(stream);
  size_t buffer = (stream.size() + kPage - 1) / kPage * kPage;

  PackedTables out;
  out.packed = packed;
  out.image_size = image.size();
  out.unpacked_size = stream.size();
  out.buffer_size = buffer;
  out.pointers = pointers.size();
  out.symbols = symbols;
  std::string& c = out.cpp;
  c += "// SPDX-License-Identifier: Apache-2.0\n";
  c += "// Generated by stockadec pack-tables from the launcher's tables — do not edit.\n";
  c += fmt::format(
      "// {} bytes of tables with {} pointers, packed into {} (compiler/emit/pack_tables.h,\n"
      "// runtime/unpack_tables.h).\n\n",
      image.size(), pointers.size(), packed.size());
  c += "#include \"unpack_tables.h\"\n\n";
  c += fmt::format("extern \"C\" {{\nalignas({}) char stockade_table_image[{}];\n}}\n\n", kPage, buffer);
  c += "namespace {\n\n";
  c += "const char kPacked[] =\n";
  for (size_t i = 0; i < packed.size(); i += 64) c += "    " + cpp_string(packed.substr(i, 64)) + "\n";
  c += ";\n\n";
  c += "__attribute__((constructor)) void unpack() {\n";
  c += fmt::format("  stockade::unpack_tables(kPacked, {}u, stockade_table_image, {}u, {}u, {}u);\n", packed.size(),
                   image.size(), stream.size(), buffer);
  c += "}\n\n}  // namespace\n\n";
  c += "// The tables' names, at their offsets in the image.\nasm(\n";
  for (const auto& [name, value] : symbols)
    c += fmt::format("    \".globl {0}\\n.set {0}, stockade_table_image + {1}\\n\"\n", name, value);
  c += ");\n";
  return out;
}

}  // namespace stockade::emit
