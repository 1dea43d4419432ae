#include "lz_pack.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace stockade::emit {
namespace {

constexpr size_t kMinMatch = 3;
constexpr size_t kMaxMatch = 130;     // 0x7f + 3
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
  size_t literal_start = 0;
  size_t i = 0;
  auto remember = [&](size_t pos) {
    if (pos + kMinMatch <= text.size()) seen[key_at(text, pos)].push_back(pos);
  };
  while (i < text.size()) {
    size_t best_len = 0;
    size_t best_back = 0;
    if (i + kMinMatch <= text.size()) {
      auto it = seen.find(key_at(text, i));
      if (it != seen.end()) {
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
      }
    }
    if (best_len < kMinMatch) {
      remember(i);
      ++i;
      continue;
    }
    flush_literals(text, literal_start, i, out);
    out += static_cast<char>(0x80 | (best_len - kMinMatch));
    out += static_cast<char>(best_back & 0xff);
    out += static_cast<char>(best_back >> 8);
    for (size_t k = 0; k < best_len; ++k) remember(i + k);
    i += best_len;
    literal_start = i;
  }
  flush_literals(text, literal_start, i, out);
  return out;
}

}  // namespace stockade::emit
