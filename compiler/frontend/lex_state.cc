// SPDX-License-Identifier: Apache-2.0
#include "frontend/lex_state.h"

#include <cctype>

namespace stockade::frontend {

void LexState::advance(std::string_view text) {
  token = {file, line, column, static_cast<uint32_t>(text.empty() ? 1 : text.size())};
  // A token that spans lines (a string with a newline) gets a caret run up
  // to the end of its first line; render() clips it there.
  for (char c : text) advance_byte(c);
}

void LexState::advance_byte(char c) {
  ++offset;
  if (c == '\n') {
    ++line;
    column = 1;
  } else {
    ++column;
  }
}

bool kafel_follows(std::string_view rest) {
  size_t i = rest.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos) return false;
  rest.remove_prefix(i);
  for (std::string_view op : {"#define", "#include", "//", "/*", "&&", "||", "==", "!=", ",", "("})
    if (rest.substr(0, op.size()) == op) return true;
  size_t end = 0;
  while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) || rest[end] == '_')) ++end;
  std::string_view word = rest.substr(0, end);
  for (std::string_view kw : {"ALLOW", "LOG", "KILL", "KILL_PROCESS", "KILL_THREAD", "DENY", "ERRNO", "TRAP", "TRACE",
                              "USER_NOTIF", "DEFAULT", "USE", "POLICY"})
    if (word == kw) return true;
  return false;
}

namespace {

// Column of byte `offset` of a token that starts at `start`; tokens with a
// newline before `offset` are rare (strings), and get the line right too.
ast::Loc loc_at(std::string_view raw, size_t offset, const ast::Loc& start, uint32_t length) {
  ast::Loc at = start;
  at.length = length;
  for (size_t i = 0; i < offset && i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

}  // namespace

ast::Text make_text(std::string_view raw, bool quoted, const ast::Loc& start, diag::Sink& sink) {
  ast::Text text;
  text.quoted = quoted;
  text.loc = start;
  size_t begin = quoted ? 1 : 0;
  size_t end = quoted && raw.size() >= 2 ? raw.size() - 1 : raw.size();
  ast::Piece lit;
  size_t lit_start = begin;
  auto flush = [&](size_t upto) {
    if (!lit.text.empty()) {
      lit.loc = loc_at(raw, lit_start, start, static_cast<uint32_t>(upto - lit_start));
      text.pieces.push_back(std::move(lit));
    }
    lit = ast::Piece{};
  };
  size_t i = begin;
  while (i < end) {
    char c = raw[i];
    if (c == '$' && i + 1 < end && raw[i + 1] == '{') {
      size_t close = raw.find('}', i + 2);
      if (close == std::string_view::npos || close >= end) {
        sink.error(loc_at(raw, i, start, 2), "unterminated ${...} reference");
        break;
      }
      flush(i);
      ast::Piece ref;
      ref.is_param = true;
      ref.text = std::string(raw.substr(i + 2, close - i - 2));
      ref.loc = loc_at(raw, i, start, static_cast<uint32_t>(close - i + 1));
      if (ref.text.empty()) sink.error(ref.loc, "empty ${} reference");
      text.pieces.push_back(std::move(ref));
      i = close + 1;
      lit_start = i;
      continue;
    }
    if (quoted && c == '\\' && i + 1 < end) {
      char e = raw[i + 1];
      switch (e) {
        case '"': lit.text += '"'; break;
        case '\\': lit.text += '\\'; break;
        case 'n': lit.text += '\n'; break;
        case 't': lit.text += '\t'; break;
        case '$': lit.text += '$'; break;
        default: sink.error(loc_at(raw, i, start, 2), std::string("unknown escape '\\") + e + "' in string"); break;
      }
      i += 2;
      continue;
    }
    lit.text += c;
    ++i;
  }
  flush(i);
  return text;
}

}  // namespace stockade::frontend
