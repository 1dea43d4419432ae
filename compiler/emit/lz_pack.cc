// SPDX-License-Identifier: Apache-2.0
#include "lz_pack.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace stockade::emit {
namespace {

constexpr size_t kMinMatch = 3;
constexpr size_t kLongMatch = 130;  // token 0xff: 130 + an extra byte
constexpr size_t kMaxMatch = kLongMatch + 255;
constexpr size_t kMaxLiterals = 128;  // 0x7f + 1
constexpr size_t kWindow = 65535;
// Candidates tried per position: the summaries repeat whole paragraphs, so a
// short chain already finds the long matches; it bounds the packer's time.
constexpr size_t kMaxChain = 256;

uint32_t key_at(const std::string& t, size_t i) {
  return static_cast<uint8_t>(t[i]) | (static_cast<uint8_t>(t[i + 1]) << 8) |
         (static_cast<uint32_t>(static_cast<uint8_t>(t[i + 2])) << 16);
}

}  // namespace

std::string lz_pack(const std::string& text) {
  const size_t n = text.size();
  // The longest earlier copy of the text at each position: {length, distance back}.
  // Any shorter copy from the same place is a prefix of it, so one per
  // position is all the parse below needs.
  std::vector<uint16_t> match_len(n, 0);
  std::vector<uint16_t> match_back(n, 0);
  // Positions seen so far for each 3-byte prefix, most recent last.
  std::unordered_map<uint32_t, std::vector<size_t>> seen;
  for (size_t i = 0; i + kMinMatch <= n; ++i) {
    std::vector<size_t>& cands = seen[key_at(text, i)];
    size_t best_len = 0;
    size_t best_back = 0;
    size_t tried = 0;
    for (auto c = cands.rbegin(); c != cands.rend() && tried < kMaxChain; ++c, ++tried) {
      size_t back = i - *c;
      if (back > kWindow) break;
      size_t len = 0;
      size_t limit = std::min(kMaxMatch, n - i);
      while (len < limit && text[*c + len] == text[i + len]) ++len;
      if (len > best_len) {
        best_len = len;
        best_back = back;
        if (len == limit) break;
      }
    }
    if (best_len >= kMinMatch) {
      match_len[i] = static_cast<uint16_t>(best_len);
      match_back[i] = static_cast<uint16_t>(best_back);
    }
    cands.push_back(i);
  }
  // The cheapest parse, from the end: cost[i] is the fewest bytes that
  // encode text[i..], starting a token at i; take[i] the token's length
  // (a copy when match_len[i] allows it and copying is cheaper, else a
  // literal run). A literal run of k bytes costs 1 + k, a copy 3 bytes (4
  // from kLongMatch on). The greedy, lazy parse spent 184 bytes more on the summaries.
  std::vector<uint32_t> cost(n + 1, 0);
  std::vector<uint16_t> take(n, 0);
  std::vector<bool> copy(n, false);
  for (size_t i = n; i-- > 0;) {
    uint32_t best = UINT32_MAX;
    for (size_t k = 1; k <= kMaxLiterals && i + k <= n; ++k) {
      uint32_t c = static_cast<uint32_t>(1 + k) + cost[i + k];
      if (c < best) {
        best = c;
        take[i] = static_cast<uint16_t>(k);
      }
    }
    for (size_t m = kMinMatch; m <= match_len[i]; ++m) {
      uint32_t c = (m >= kLongMatch ? 4u : 3u) + cost[i + m];
      if (c < best) {
        best = c;
        take[i] = static_cast<uint16_t>(m);
        copy[i] = true;
      }
    }
    cost[i] = best;
  }
  std::string out;
  out.reserve(cost.empty() ? 0 : cost[0]);
  for (size_t i = 0; i < n; i += take[i]) {
    size_t len = take[i];
    if (!copy[i]) {
      out += static_cast<char>(len - 1);
      out.append(text, i, len);
      continue;
    }
    size_t back = match_back[i];
    out += static_cast<char>(0x80 | (std::min(len, kLongMatch) - kMinMatch));
    out += static_cast<char>(back & 0xff);
    out += static_cast<char>(back >> 8);
    if (len >= kLongMatch) out += static_cast<char>(len - kLongMatch);
  }
  return out;
}

}  // namespace stockade::emit
