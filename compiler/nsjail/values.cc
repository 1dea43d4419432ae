// SPDX-License-Identifier: Apache-2.0
// Rendering nsjail values as .policy tokens, recording each placeholder use.
#include "translation.h"
#include "vocab/units.h"

namespace stockade::nsjail {
namespace {

bool path_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("._-+@%,:=~/").find(c) != std::string_view::npos;
}

// Collapses "//" and "/./" and drops a trailing '/' in the literal pieces.
bool normalise(std::vector<Piece>& pieces) {
  bool changed = false;
  for (size_t i = 0; i < pieces.size(); ++i) {
    Piece& p = pieces[i];
    if (p.is_param) continue;
    std::string s;
    for (size_t k = 0; k < p.text.size(); ++k) {
      char c = p.text[k];
      if (c == '/' && !s.empty() && s.back() == '/') {
        changed = true;
        continue;
      }
      if (c == '.' && !s.empty() && s.back() == '/' && (k + 1 == p.text.size() || p.text[k + 1] == '/')) {
        changed = true;
        ++k;  // skip "./"
        continue;
      }
      s += c;
    }
    bool last = i + 1 == pieces.size();
    bool whole_root = pieces.size() == 1 && s == "/";
    if (last && s.size() > 0 && s.back() == '/' && !whole_root) {
      s.pop_back();
      changed = true;
    }
    p.text = s;
  }
  return changed;
}

std::string escape_literal(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '$': out += (i + 1 < s.size() && s[i + 1] == '{') ? "\\$" : "$"; break;
      default: out += c;
    }
  }
  return out;
}

void use(Translation& t, const std::string& name, Use u, bool optional_use = false, std::string note = {}) {
  t.uses.push_back({name, u, optional_use, std::move(note)});
}

}  // namespace

std::string render_path(Translation& t, const std::string& raw, const std::string& key, bool optional_use) {
  std::vector<Piece> pieces = split_tokens(raw, t.cfg.pre);
  if (pieces.empty() || (!pieces[0].is_param && (pieces[0].text.empty() || pieces[0].text[0] != '/'))) {
    t.sink.error(t.cfg.at(key), "path '" + raw + "' is not absolute");
    return {};
  }
  if (normalise(pieces)) t.sink.note(t.cfg.at(key), "path normalised (repeated or trailing '/' removed)");
  bool bare = true;
  std::string out;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Piece& p = pieces[i];
    if (p.is_param) {
      use(t, p.text, i == 0 ? Use::PathStart : Use::PathInside, optional_use);
      out += "${" + p.text + "}";
      continue;
    }
    for (char c : p.text) bare = bare && path_char(c);
    out += escape_literal(p.text);
  }
  return bare ? out : "\"" + out + "\"";
}

std::string render_text(Translation& t, const std::string& raw) {
  std::string out = "\"";
  for (const Piece& p : split_tokens(raw, t.cfg.pre)) {
    if (p.is_param) {
      use(t, p.text, Use::Text);
      out += "${" + p.text + "}";
    } else {
      out += escape_literal(p.text);
    }
  }
  return out + "\"";
}

std::string restore_placeholders(const Translation& t, const std::string& raw) {
  std::string out;
  for (const Piece& p : split_tokens(raw, t.cfg.pre)) out += p.is_param ? "{" + p.text + "}" : p.text;
  return out;
}

std::string render_size(Translation& t, uint64_t value, uint64_t unit, const std::string& unit_name) {
  if (auto id = integer_token_id(value, t.cfg.pre)) {
    const std::string& name = t.cfg.pre.placeholders[*id].name;
    std::string note =
        unit == 1 ? std::string()
                  : "nsjail read this value in " + unit_name + "; give a unit (4096MiB), a bare number is bytes";
    use(t, name, Use::Size, false, note);
    return "${" + name + "}";
  }
  // Keep the unit the nsjail author thought in when it is exact.
  if (unit != 1) return std::to_string(value) + " " + unit_name;
  return vocab::format_bytes(value);
}

std::string render_count(Translation& t, uint64_t value) {
  if (auto id = integer_token_id(value, t.cfg.pre)) {
    const std::string& name = t.cfg.pre.placeholders[*id].name;
    use(t, name, Use::Count);
    return "${" + name + "}";
  }
  return std::to_string(value);
}

std::string render_seconds(Translation& t, uint64_t value) {
  if (auto id = integer_token_id(value, t.cfg.pre)) {
    const std::string& name = t.cfg.pre.placeholders[*id].name;
    use(t, name, Use::Duration, false, "seconds when given without a unit, as nsjail read it");
    return "${" + name + "}";
  }
  return std::to_string(value) + "s";
}

std::string bool_param(Translation& t, const std::string& key) {
  const Placeholder* p = t.cfg.bool_placeholder(key);
  if (p == nullptr) return {};
  use(t, p->name, Use::Bool);
  return p->name;
}

void Translation::unsupported(const std::string& key, const std::string& why) {
  std::string field = key;
  sink.warning(cfg.at(key), "field " + field + " is not supported: " + why);
  handled.insert(key);
}

}  // namespace stockade::nsjail
