// SPDX-License-Identifier: Apache-2.0
// Packs a launcher's policy tables into one compressed image (issue 10's
// size budget: the tables compress about 4:1, pointers and all).
//
// Input: the tables' objects linked alone at address 0 into one section,
// .stockade_tables, with their relocations kept (`ld --emit-relocs`, the
// linker script runtime/tables.ld; runtime/build_launcher.cmake runs it). Every R_X86_64_64
// relocation there is a pointer field of a table row, and at address 0 its
// value is already the offset of what it points at.
//
// Output: a C++ file for the launcher holding that section's bytes followed
// by the pointers' positions (LEB128 deltas), packed by lz_pack, a
// page-aligned buffer for them, a constructor that unpacks and relocates
// them before main and makes the buffer read-only
// (runtime/unpack_tables.h), and every global symbol of the tables
// (kPolicies, kMountRows, ...) as an alias at its offset in the buffer, so
// the runtime links against the same names either way.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace stockade::emit {

struct PackedTables {
  std::string cpp;                                        // the C++ file
  std::string packed;                                     // the image and the positions, packed (in `cpp` as kPacked)
  size_t image_size = 0;                                  // the section's bytes
  size_t unpacked_size = 0;                               // those and the positions' bytes
  size_t buffer_size = 0;                                 // unpacked_size rounded up to whole pages
  size_t pointers = 0;                                    // relocations
  std::vector<std::pair<std::string, uint64_t>> symbols;  // the global names and their offsets, sorted
};

// Throws std::runtime_error naming what is wrong with `elf` (not ELF64
// x86-64, no .stockade_tables, a relocation of another kind or outside the
// section).
PackedTables pack_tables(const std::string& elf);

}  // namespace stockade::emit
