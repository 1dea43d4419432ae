// SPDX-License-Identifier: Apache-2.0
#include "parse_config.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

namespace stockade::nsjail {
namespace {

namespace pb = google::protobuf;

// Turns TextFormat's complaints into our diagnostics (0-based -> 1-based).
class SinkCollector : public pb::io::ErrorCollector {
 public:
  SinkCollector(const std::string& file, const Preprocessed& pre, diag::Sink& sink)
      : file_(file), pre_(pre), sink_(sink) {}
  void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
    sink_.error(location(line, column), restore(message));
  }
  void AddWarning(int line, pb::io::ColumnNumber column, const std::string& message) override {
    sink_.warning(location(line, column), restore(message));
  }

 private:
  diag::Location location(int line, pb::io::ColumnNumber column) const {
    if (line < 0) return {file_, 0, 0, 1};
    return {file_, static_cast<uint32_t>(line + 1), static_cast<uint32_t>(column + 1), 1};
  }
  // Messages may quote our tokens; show the placeholders instead.
  std::string restore(const std::string& message) const {
    std::string out;
    for (const Piece& p : split_tokens(message, pre_)) out += p.is_param ? "{" + p.text + "}" : p.text;
    return out;
  }
  const std::string& file_;
  const Preprocessed& pre_;
  diag::Sink& sink_;
};

// Flattens TextFormat's location tree into ParsedConfig::where.
void record(const pb::Message& msg, const pb::TextFormat::ParseInfoTree& tree, const std::string& prefix,
            const std::string& file, std::map<std::string, diag::Location>& where) {
  for_each_set_field(msg, prefix, [&](const pb::FieldDescriptor* f, int index, const std::string& key) {
    pb::TextFormat::ParseLocation loc = tree.GetLocation(f, index);
    if (loc.line >= 0)
      where[key] = {file, static_cast<uint32_t>(loc.line + 1), static_cast<uint32_t>(loc.column + 1),
                    static_cast<uint32_t>(f->name().size())};
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      const pb::TextFormat::ParseInfoTree* nested = tree.GetTreeForNested(f, index);
      if (nested) record(field_message(msg, f, index), *nested, key + ".", file, where);
    }
  });
}

}  // namespace

diag::Location ParsedConfig::at(const std::string& key) const {
  // An absent field is reported where its enclosing entry starts
  // ("mount[2].fstype" -> "mount[2]").
  for (std::string k = key;;) {
    auto it = where.find(k);
    if (it != where.end()) return it->second;
    size_t dot = k.rfind('.');
    if (dot == std::string::npos) return {file, 0, 0, 1};
    k.resize(dot);
  }
}

const Placeholder* ParsedConfig::bool_placeholder(const std::string& key) const {
  std::string field = key.substr(key.rfind('.') == std::string::npos ? 0 : key.rfind('.') + 1);
  const Placeholder* only = nullptr;
  int matches = 0;
  for (const Placeholder& p : pre.placeholders) {
    if (p.slot != Slot::Bool || p.field != field) continue;
    if (!json) {
      auto it = where.find(key);
      if (it != where.end() && it->second.line == p.line) return &p;
      continue;
    }
    only = &p;
    ++matches;
  }
  // JSON has no locations: a field name must identify its placeholder.
  return matches == 1 ? only : nullptr;
}

bool looks_like_json(const std::string& text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string::npos || text[i] != '{') return false;
  size_t j = text.find_first_not_of(" \t\r\n", i + 1);
  // `{NAME}` on the first line is a Windmill fragment, not a JSON object.
  return j == std::string::npos || text[j] == '"' || text[j] == '}';
}

bool parse_config(const std::string& file, const std::string& text, diag::Sink& sink, ParsedConfig& out) {
  out.file = file;
  out.json = looks_like_json(text);
  if (!preprocess(file, text, out.json, sink, out.pre)) return false;
  if (out.json) {
    pb::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;  // an unknown field is reported, never skipped
    auto status = pb::util::JsonStringToMessage(out.pre.text, &out.config, options);
    if (!status.ok()) {
      sink.error({file, 0, 0, 1}, "invalid nsjail JSON config: " + std::string(status.message()));
      return false;
    }
    return true;
  }
  SinkCollector collector(file, out.pre, sink);
  pb::TextFormat::ParseInfoTree tree;
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(out.pre.text, &out.config)) {
    if (!sink.has_errors()) sink.error({file, 0, 0, 1}, "invalid nsjail config");
    return false;
  }
  record(out.config, tree, "", file, out.where);
  return true;
}

}  // namespace stockade::nsjail
