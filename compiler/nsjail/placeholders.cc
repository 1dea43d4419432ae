// SPDX-License-Identifier: Apache-2.0
#include "placeholders.h"

#include <google/protobuf/descriptor.h>

#include "nsjail_config.pb.h"
#include "vocab/numbers.h"

namespace stockade::nsjail {
namespace {

namespace pb = google::protobuf;

constexpr const char* kTokenPrefix = "@@stockade:";
constexpr const char* kTokenSuffix = "@@";
// Far above any limit a real config sets, and below INT32_MAX so the token
// also fits the int32 fields (pass_fd, nice_level).
constexpr uint64_t kIntegerTokenBase = 2'000'000'000;

bool is_name_start(char c) { return c >= 'A' && c <= 'Z'; }
bool is_name_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

// Length of `{NAME}` at `at`, or 0 if there is none.
size_t placeholder_length(const std::string& s, size_t at) {
  if (at + 2 >= s.size() || s[at] != '{' || !is_name_start(s[at + 1])) return 0;
  size_t i = at + 2;
  while (i < s.size() && is_name_char(s[i])) ++i;
  return i < s.size() && s[i] == '}' ? i - at + 1 : 0;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The field a value belongs to: the identifier (quoted in JSON) before the
// ':' that precedes `at` on the same line.
std::string field_before(const std::string& line, size_t at) {
  std::string before = trim(line.substr(0, at));
  if (before.empty() || before.back() != ':') return {};
  before = trim(before.substr(0, before.size() - 1));
  if (!before.empty() && before.back() == '"') before.pop_back();
  size_t start = before.size();
  while (start > 0 && (std::isalnum(static_cast<unsigned char>(before[start - 1])) || before[start - 1] == '_'))
    --start;
  return before.substr(start);
}

const pb::FieldDescriptor* find_field(const std::string& name) {
  for (const pb::Descriptor* d : {schema::NsJailConfig::descriptor(), schema::MountPt::descriptor(),
                                  schema::IdMap::descriptor(), schema::Exe::descriptor()}) {
    if (const pb::FieldDescriptor* f = d->FindFieldByName(name)) return f;
  }
  return nullptr;
}

}  // namespace

std::string string_token(size_t id) { return kTokenPrefix + std::to_string(id) + kTokenSuffix; }

uint64_t integer_token(size_t id) { return kIntegerTokenBase + id; }

std::optional<size_t> integer_token_id(uint64_t value, const Preprocessed& pre) {
  if (value < kIntegerTokenBase) return std::nullopt;
  uint64_t id = value - kIntegerTokenBase;
  if (id >= pre.placeholders.size() || pre.placeholders[id].slot != Slot::Integer) return std::nullopt;
  return static_cast<size_t>(id);
}

std::vector<Piece> split_tokens(const std::string& value, const Preprocessed& pre) {
  std::vector<Piece> out;
  const std::string prefix = kTokenPrefix;
  size_t pos = 0;
  auto literal = [&](const std::string& text) {
    if (text.empty()) return;
    if (!out.empty() && !out.back().is_param) out.back().text += text;
    else out.push_back({false, text});
  };
  while (pos < value.size()) {
    size_t hit = value.find(prefix, pos);
    if (hit == std::string::npos) break;
    size_t digits = hit + prefix.size();
    size_t end = digits;
    while (end < value.size() && std::isdigit(static_cast<unsigned char>(value[end]))) ++end;
    std::optional<uint64_t> id = vocab::parse_unsigned(std::string_view(value).substr(digits, end - digits));
    if (!id || value.compare(end, 2, kTokenSuffix) != 0) {
      literal(value.substr(pos, digits - pos));
      pos = digits;
      continue;
    }
    literal(value.substr(pos, hit - pos));
    if (*id < pre.placeholders.size()) out.push_back({true, pre.placeholders[*id].name});
    else literal(value.substr(hit, end + 2 - hit));
    pos = end + 2;
  }
  literal(value.substr(pos));
  return out;
}

bool preprocess(const std::string& file, const std::string& text, bool json, diag::Sink& sink, Preprocessed& out) {
  out = {};
  if (text.find(kTokenPrefix) != std::string::npos) {
    sink.error({file, 0, 0, 1}, std::string("the config contains the importer's own marker '") + kTokenPrefix +
                                    "'; rename it before importing");
    return false;
  }
  bool ok = true;
  size_t start = 0;
  uint32_t line_no = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    ++line_no;
    std::string t = trim(line);
    bool commented = !t.empty() && t[0] == '#';
    std::string bare = commented ? t.substr(1) : t;
    if (!bare.empty() && placeholder_length(bare, 0) == bare.size()) {
      // A whole fragment: blank it out, keeping columns and line numbers.
      size_t col = line.find('{');
      out.placeholders.push_back(
          {bare.substr(1, bare.size() - 2), Slot::Fragment, "", line_no, static_cast<uint32_t>(col + 1), commented});
      out.text += std::string(line.size(), ' ');
    } else {
      std::string rewritten;
      char quote = 0;
      for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quote) {
          if (c == '\\' && i + 1 < line.size()) {
            rewritten += c;
            rewritten += line[++i];
            continue;
          }
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '#' && !json) {
          rewritten += line.substr(i);  // a comment: left as it is
          break;
        }
        size_t len = placeholder_length(line, i);
        if (len == 0) {
          rewritten += c;
          continue;
        }
        Placeholder p{line.substr(i + 1, len - 2), Slot::InString, "", line_no, static_cast<uint32_t>(i + 1), false};
        size_t id = out.placeholders.size();
        if (quote) {
          rewritten += string_token(id);
        } else {
          p.field = field_before(line, i);
          const pb::FieldDescriptor* f = p.field.empty() ? nullptr : find_field(p.field);
          if (f == nullptr) {
            sink.error({file, line_no, p.column, static_cast<uint32_t>(len)},
                       "placeholder {" + p.name + "} stands where no known field value is expected");
            ok = false;
            rewritten += c;
            continue;
          }
          switch (f->cpp_type()) {
            case pb::FieldDescriptor::CPPTYPE_BOOL:
              p.slot = Slot::Bool;
              rewritten += "true";
              break;
            case pb::FieldDescriptor::CPPTYPE_INT32:
            case pb::FieldDescriptor::CPPTYPE_INT64:
            case pb::FieldDescriptor::CPPTYPE_UINT32:
            case pb::FieldDescriptor::CPPTYPE_UINT64:
              p.slot = Slot::Integer;
              rewritten += std::to_string(integer_token(id));
              break;
            case pb::FieldDescriptor::CPPTYPE_STRING:
              p.slot = Slot::Text;
              // append: GCC 12 -O3 -Wrestrict misfires on "lit" + string
              rewritten.append("\"").append(string_token(id)).append("\"");
              break;
            case pb::FieldDescriptor::CPPTYPE_ENUM:
            case pb::FieldDescriptor::CPPTYPE_MESSAGE:
            case pb::FieldDescriptor::CPPTYPE_FLOAT:
            case pb::FieldDescriptor::CPPTYPE_DOUBLE:
              sink.error({file, line_no, p.column, static_cast<uint32_t>(len)},
                         "placeholder {" + p.name + "} cannot stand for the value of field " + p.field);
              ok = false;
              rewritten += line.substr(i, len);
              i += len - 1;
              continue;
          }
        }
        out.placeholders.push_back(std::move(p));
        i += len - 1;
      }
      out.text += rewritten;
    }
    if (nl == std::string::npos) break;
    out.text += '\n';
    start = nl + 1;
  }
  return ok;
}

}  // namespace stockade::nsjail
