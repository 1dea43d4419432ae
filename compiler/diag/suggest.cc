// SPDX-License-Identifier: Apache-2.0
#include "diag/suggest.h"

#include <algorithm>

namespace stockade::diag {
namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool contains_folded(std::string_view s, std::string_view part) {
  for (size_t at = 0; at + part.size() <= s.size(); ++at) {
    bool all = true;
    for (size_t i = 0; all && i < part.size(); ++i) all = fold(s[at + i]) == fold(part[i]);
    if (all) return true;
  }
  return false;
}

// How many edits still count as a typo of a word this long.
size_t allowed_edits(size_t length) {
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

// Longer words than this are not typos of a name; it also bounds the
// distance table for fuzzed input.
constexpr size_t kMaxWord = 64;

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the table: the swap case looks two rows back.
  std::vector<size_t> two(b.size() + 1), one(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) one[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({one[j] + 1, cur[j - 1] + 1, one[j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
        cur[j] = std::min(cur[j], two[j - 2] + 1);
    }
    std::swap(two, one);
    std::swap(one, cur);
  }
  return one[b.size()];
}

std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > kMaxWord) return std::nullopt;
  const std::string* best = nullptr;
  size_t best_distance = allowed_edits(word.size()) + 1;
  bool tie = false;
  for (const std::string& c : candidates) {
    if (c == word || c.size() > kMaxWord) continue;
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = &c;
      best_distance = d;
      tie = false;
    } else if (d == best_distance && best != nullptr && *best != c) {
      tie = true;
    }
  }
  if (best != nullptr && !tie) return *best;
  // `lo` for `loopback`, `flag` for `clone_flags`: part of one candidate only.
  if (word.size() < 2) return std::nullopt;
  const std::string* holder = nullptr;
  for (const std::string& c : candidates) {
    if (c == word || !contains_folded(c, word)) continue;
    if (holder != nullptr && *holder != c) return std::nullopt;
    holder = &c;
  }
  if (holder != nullptr) return *holder;
  return std::nullopt;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> c = closest(word, candidates);
  return c ? "; did you mean '" + *c + "'?" : std::string();
}

}  // namespace stockade::diag
