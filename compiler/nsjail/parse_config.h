// SPDX-License-Identifier: Apache-2.0
// Reads an nsjail config (after placeholder pre-processing) into our schema
// message with protobuf's own TextFormat or JSON parser, and remembers where
// each field stood so later diagnostics can name file:line.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "diag/diagnostics.h"
#include "nsjail_config.pb.h"
#include "placeholders.h"

namespace stockade::nsjail {

struct ParsedConfig {
  std::string file;
  bool json = false;
  Preprocessed pre;
  schema::NsJailConfig config;
  // Where a field's value starts, keyed "field", "mount[2]" or
  // "mount[2].rw" (1-based line and column). Empty for JSON input.
  std::map<std::string, diag::Location> where;

  // The location of `key`, or the whole file when it is not known.
  diag::Location at(const std::string& key) const;
  // The placeholder written unquoted for bool field `key`, if any.
  const Placeholder* bool_placeholder(const std::string& key) const;
};

// JSON when the first non-blank character is '{', else protobuf text format.
bool looks_like_json(const std::string& text);

// Parse errors go into `sink` as file:line:col errors.
bool parse_config(const std::string& file, const std::string& text, diag::Sink& sink, ParsedConfig& out);

}  // namespace stockade::nsjail
