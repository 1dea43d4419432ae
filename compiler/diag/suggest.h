// SPDX-License-Identifier: Apache-2.0
// "Did you mean": the one spelling to offer for a word that names nothing,
// chosen from the names in scope by edit distance. Offered only when a
// candidate is close (a few edits for the word's length, a different case
// only, or the word is part of exactly one candidate), so a message
// never guesses at random.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stockade::diag {

// Optimal string alignment distance (insertions, deletions, substitutions
// and swaps of neighbours, each 1), comparing ASCII letters case-blind.
size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate, if it is close enough; never `word` itself.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'X'?" for the closest candidate, "" when none is close:
// for appending to an "unknown ..." message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace stockade::diag
