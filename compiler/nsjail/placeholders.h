// SPDX-License-Identifier: Apache-2.0
// Windmill's `{NAME}` placeholders make a config invalid protobuf text. This
// stage finds them, replaces each with a unique token that keeps the text
// parseable (a marker inside a string, `true` or a sentinel number where a
// bool or integer stands, blanks for a whole-statement fragment) and keeps a
// side table so the writer can turn each token back into a parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"

namespace stockade::nsjail {

enum class Slot {
  InString,  // `{NAME}` inside a quoted string
  Bool,      // unquoted, the field is a bool
  Integer,   // unquoted, the field is an integer
  Text,      // unquoted, the field is a string (e.g. `cwd: {WORKDIR}`)
  Fragment,  // alone on its line: stands for whole statements
};

struct Placeholder {
  std::string name;  // without braces
  Slot slot = Slot::InString;
  std::string field;       // Bool/Integer/Text: the field name before the ':'
  uint32_t line = 0;       // 1-based, of the '{'
  uint32_t column = 0;     // 1-based
  bool commented = false;  // Fragment written as `#{NAME}`
};

struct Preprocessed {
  std::string text;                       // parseable text, same line numbering
  std::vector<Placeholder> placeholders;  // index = token id
};

// Replaces placeholders in `text` (protobuf text format, or JSON when `json`).
// Reports unsupported positions (e.g. an enum field) as errors into `sink`.
bool preprocess(const std::string& file, const std::string& text, bool json, diag::Sink& sink, Preprocessed& out);

// The marker put inside strings for placeholder `id`.
std::string string_token(size_t id);
// The number put where an integer placeholder `id` stands.
uint64_t integer_token(size_t id);
// The placeholder id a number stands for, if it is one of our tokens.
std::optional<size_t> integer_token_id(uint64_t value, const Preprocessed& pre);

// A parsed string cut back into literal text and placeholder references.
struct Piece {
  bool is_param = false;
  std::string text;  // literal bytes, or the placeholder name
};
std::vector<Piece> split_tokens(const std::string& value, const Preprocessed& pre);

}  // namespace stockade::nsjail
