// SPDX-License-Identifier: Apache-2.0
// Unpacks the launcher's one compressed text (every policy's `stockade show`
// words, emitted by compiler/emit/lz_pack.cc). The 22 shipped summaries are
// nearly the same text; packed once they cost a few KiB instead of ~50 KiB.
//
// Format, a sequence of tokens:
//   0xxxxxxx             x+1 literal bytes follow (1..128)
//   1xxxxxxx lo hi       copy x+3 bytes (3..129) starting lo+256*hi bytes
//                        back in the output (1..65535); may overlap
//   11111111 lo hi e     the same, copying 130+e bytes (130..385): the
//                        summaries repeat paragraphs longer than 130 bytes
#pragma once

#include <stdint.h>

namespace stockade {

// Unpacks `in` (in_size bytes, read as unsigned) into `out`. False, with nothing promised about
// `out`, when the input is malformed (a run past its end, a copy from before
// the start) or the text is longer than out_cap; never reads or writes out of
// bounds. On success *out_size is the text's length.
bool lz_unpack(const char* in, uint32_t in_size, char* out, uint32_t out_cap, uint32_t* out_size);

}  // namespace stockade
