// SPDX-License-Identifier: Apache-2.0
// The launcher's policy tables as one packed image (compiler/emit/
// pack_tables.h writes it; build_launcher.cmake makes it when given
// STOCKADEC): the tables compress about 4:1, which the size budget needs.
// The image's constructor calls unpack_tables before main: it unpacks the
// bytes (runtime/unpack.h) into the page-aligned buffer, adds the buffer's
// address to every pointer field the positions list, and makes the buffer
// read-only, as the tables were in the file's read-only segment. The
// runtime reads the tables through their usual names either way.
#pragma once

#include <stdint.h>

namespace stockade {

// `packed` (packed_size bytes) unpacks to `unpacked_size` bytes: the
// image's image_size bytes, then the pointers' positions as LEB128 deltas
// (each the distance from the previous one, the first from 0). `buffer`
// has buffer_size bytes, a multiple of the page size, and is page-aligned.
// Any inconsistency (it can only be a broken build) ends the process with
// Exit::Internal and a line on stderr, before anything reads a table.
void unpack_tables(const char* packed, uint32_t packed_size, char* buffer, uint32_t image_size, uint32_t unpacked_size,
                   uint32_t buffer_size);

}  // namespace stockade
