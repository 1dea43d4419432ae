// SPDX-License-Identifier: Apache-2.0
#include "unpack.h"

namespace stockade {

bool lz_unpack(const char* packed, uint32_t in_size, char* out, uint32_t out_cap, uint32_t* out_size) {
  const auto* in = reinterpret_cast<const uint8_t*>(packed);
  uint32_t i = 0;
  uint32_t o = 0;
  while (i < in_size) {
    uint8_t token = in[i++];
    if ((token & 0x80) == 0) {
      uint32_t n = token + 1u;
      if (n > in_size - i || n > out_cap - o) return false;
      for (uint32_t k = 0; k < n; ++k) out[o++] = static_cast<char>(in[i++]);
      continue;
    }
    uint32_t n = (token & 0x7fu) + 3u;
    uint32_t extra = n == 130 ? 1 : 0;
    if (in_size - i < 2 + extra) return false;
    uint32_t back = in[i] | (static_cast<uint32_t>(in[i + 1]) << 8);
    if (extra) n += in[i + 2];
    i += 2 + extra;
    if (back == 0 || back > o || n > out_cap - o) return false;
    // Byte by byte: a copy may overlap the bytes it writes (a repeated run).
    for (uint32_t k = 0; k < n; ++k, ++o) out[o] = out[o - back];
  }
  *out_size = o;
  return true;
}

}  // namespace stockade
