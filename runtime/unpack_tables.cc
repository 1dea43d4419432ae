// SPDX-License-Identifier: Apache-2.0
#include "unpack_tables.h"

#include <sys/mman.h>
#include <unistd.h>

#include "exit_codes.h"
#include "unpack.h"

namespace stockade {
namespace {

[[noreturn]] void broken() {
  static const char kMessage[] = "stockade: internal: the packed policy tables are damaged\n";
  (void)!write(2, kMessage, sizeof kMessage - 1);
  _exit(code(Exit::Internal));
}

}  // namespace

void unpack_tables(const char* packed, uint32_t packed_size, char* buffer, uint32_t image_size, uint32_t unpacked_size,
                   uint32_t buffer_size) {
  uint32_t size = 0;
  if (!lz_unpack(packed, packed_size, buffer, buffer_size, &size) || size != unpacked_size || image_size > size)
    broken();
  uint64_t at = 0;
  for (uint32_t i = image_size; i < size;) {
    uint64_t delta = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (i == size || shift > 28) broken();
      uint8_t b = static_cast<uint8_t>(buffer[i++]);
      delta |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
    }
    at += delta;
    if (at + 8 > image_size) broken();
    uint64_t offset;
    __builtin_memcpy(&offset, buffer + at, 8);
    if (offset > image_size) broken();
    offset += reinterpret_cast<uintptr_t>(buffer);
    __builtin_memcpy(buffer + at, &offset, 8);
  }
  if (mprotect(buffer, buffer_size, PROT_READ) != 0) broken();
}

}  // namespace stockade
