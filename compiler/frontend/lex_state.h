// SPDX-License-Identifier: Apache-2.0
// State shared by the flex scanner and the bison parser for one file: where
// the scanner is, the file's syntax tree as the parser builds it, and the
// sink for lexical and syntax errors. One per parse; nothing global.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostics.h"
#include "frontend/ast.h"

namespace stockade::frontend {

struct LexState {
  std::string file;   // name used in diagnostics
  uint32_t line = 1;  // position of the next unread byte
  uint32_t column = 1;
  // The whole text being scanned and the offset of the next unread byte, so
  // a rule can look ahead without consuming (a seccomp body's closing '}').
  std::string_view source;
  size_t offset = 0;
  ast::Loc token;  // location of the token just matched
  diag::Sink* sink = nullptr;
  ast::File* out = nullptr;
  // The '{' of every block still open, innermost last: a syntax error that
  // looks like a missing '}' notes the brace it leaves unclosed.
  std::vector<ast::Loc> open_braces;
  // A seccomp body's closing brace that looks like the enclosing block's
  // (alone on its line, left of `seccomp`); reported if the file then ends
  // with a block open.
  std::optional<ast::Loc> suspect_seccomp_close;

  // Sets `token` to the run of `text` starting here, then moves past it.
  void advance(std::string_view text);
  // Moves past one byte read outside a token (seccomp bodies).
  void advance_byte(char c);
  ast::Loc here(uint32_t length = 1) const { return {file, line, column, length}; }
};

// Whether `rest` (the text after a seccomp body's closing '}') starts, after
// blanks, with what only Kafel text holds: an action or Kafel keyword
// (`ALLOW`, `DEFAULT`, `POLICY`, ...), `#define`/`#include`, a `//` or `/*`
// comment, or an operator or separator (`,` `(` `&&` `||` `==` `!=`). Then
// the '}' was one too many inside the body and ended it early.
bool kafel_follows(std::string_view rest);

// Splits a path or string token into literal pieces and ${NAME} references.
// `raw` is the token as written (with quotes when `quoted`); escapes are
// applied for quoted strings. Bad escapes are reported into `sink`.
ast::Text make_text(std::string_view raw, bool quoted, const ast::Loc& start, diag::Sink& sink);

}  // namespace stockade::frontend
