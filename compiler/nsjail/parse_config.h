// SPDX-License-Identifier: Apache-2.0
// Reads an nsjail config (after placeholder pre-processing) into our schema
// message with protobuf's own TextFormat or JSON parser, and remembers where
// each field stood so later diagnostics can name file:line.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

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

// Calls fn(field, index, key) for each field `msg` sets, each element of a
// repeated field apart (index -1 for a singular one); `key` is `prefix` and
// the field's name, with "[index]" for an element: the keys of
// ParsedConfig::where.
template <class Fn>
void for_each_set_field(const google::protobuf::Message& msg, const std::string& prefix, Fn fn) {
  const google::protobuf::Reflection* r = msg.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const google::protobuf::FieldDescriptor* f : fields) {
    int n = f->is_repeated() ? r->FieldSize(msg, f) : 1;
    for (int i = 0; i < n; ++i) {
      std::string key = prefix + f->name();
      // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
      if (f->is_repeated()) key.append("[").append(std::to_string(i)).append("]");
      fn(f, f->is_repeated() ? i : -1, key);
    }
  }
}

// The message field `f` holds at `index` (for_each_set_field's).
inline const google::protobuf::Message& field_message(const google::protobuf::Message& msg,
                                                      const google::protobuf::FieldDescriptor* f, int index) {
  const google::protobuf::Reflection* r = msg.GetReflection();
  return index >= 0 ? r->GetRepeatedMessage(msg, f, index) : r->GetMessage(msg, f);
}

// JSON when the first non-blank character is '{', else protobuf text format.
bool looks_like_json(const std::string& text);

// Parse errors go into `sink` as file:line:col errors.
bool parse_config(const std::string& file, const std::string& text, diag::Sink& sink, ParsedConfig& out);

}  // namespace stockade::nsjail
