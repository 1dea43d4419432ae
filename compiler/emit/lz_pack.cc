#include "lz_pack.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stockade::emit {
namespace {

constexpr size_t kMinMatch = 3;
constexpr size_t kLongMatch = 130;    // token 0xff: 130 + an extra byte
constexpr size_t kMaxMatch = kLongMatch + 255;
constexpr size_t kMaxLiterals = 128;  // 0x7f + 1
constexpr size_t kWindow = 65535;
// Candidates tried per position: the summaries repeat whole paragraphs, so a
// short chain already finds the long matches; it bounds the packer's time.
constexpr size_t kMaxChain = 256;

uint32_t key_at(const std::string& t, size_t i) {
  return static_cast<uint8_t>(t[i]) | (static_cast<uint8_t>(t[i + 1]) << 8) | (static_cast<uint32_t>(static_cast<uint8_t>(t[i + 2])) << 16);
}

void flush_literals(const std::string& text, size_t from, size_t to, std::string& out) {
  while (from < to) {
    size_t n = std::min(to - from, kMaxLiterals);
    out += static_cast<char>(n - 1);
    out.append(text, from, n);
    from += n;
  }
}

}  // namespace

std::string lz_pack(const std::string& text) {
  std::string out;
  // Positions seen so far for each 3-byte prefix, most recent last.
  std::unordered_map<uint32_t, std::vector<size_t>> seen;
  auto remember = [&](size_t pos) {
    if (pos + kMinMatch <= text.size()) seen[key_at(text, pos)].push_back(pos);
  };
  // The longest earlier copy of the text at i: {length, distance back}.
  auto longest = [&](size_t i) {
    size_t best_len = 0;
    size_t best_back = 0;
    if (i + kMinMatch > text.size()) return std::pair{best_len, best_back};
    auto it = seen.find(key_at(text, i));
    if (it == seen.end()) return std::pair{best_len, best_back};
    const std::vector<size_t>& cands = it->second;
    size_t tried = 0;
    for (auto c = cands.rbegin(); c != cands.rend() && tried < kMaxChain; ++c, ++tried) {
      size_t back = i - *c;
      if (back > kWindow) break;
      size_t len = 0;
      size_t limit = std::min(kMaxMatch, text.size() - i);
      while (len < limit && text[*c + len] == text[i + len]) ++len;
      if (len > best_len) {
        best_len = len;
        best_back = back;
        if (len == limit) break;
      }
    }
    return std::pair{best_len, best_back};
  };
  size_t literal_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    auto [len, back] = longest(i);
    // Lazy: a literal here is worth it when the next position copies more.
    if (len >= kMinMatch && i + 1 < text.size()) {
      remember(i);
      if (longest(i + 1).first > len + 1) len = 0;
      seen[key_at(text, i)].pop_back();
    }
    if (len < kMinMatch) {
      remember(i);
      ++i;
      continue;
    }
    flush_literals(text, literal_start, i, out);
    out += static_cast<char>(0x80 | (std::min(len, kLongMatch) - kMinMatch));
    out += static_cast<char>(back & 0xff);
    out += static_cast<char>(back >> 8);
    if (len >= kLongMatch) out += static_cast<char>(len - kLongMatch);
    for (size_t k = 0; k < len; ++k) remember(i + k);
    i += len;
    literal_start = i;
  }
  flush_literals(text, literal_start, i, out);
  return out;
}

}  // namespace stockade::emit
