// State shared by the flex scanner and the bison parser for one file: where
// the scanner is, the file's syntax tree as the parser builds it, and the
// sink for lexical and syntax errors. One per parse; nothing global.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diag/diagnostics.h"
#include "frontend/ast.h"

namespace stockade::frontend {

struct LexState {
  std::string file;     // name used in diagnostics
  uint32_t line = 1;    // position of the next unread byte
  uint32_t column = 1;
  ast::Loc token;       // location of the token just matched
  diag::Sink* sink = nullptr;
  ast::File* out = nullptr;
  int brace_depth = 0;  // `{` minus `}` tokens outside seccomp bodies
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

// Splits a path or string token into literal pieces and ${NAME} references.
// `raw` is the token as written (with quotes when `quoted`); escapes are
// applied for quoted strings. Bad escapes are reported into `sink`.
ast::Text make_text(std::string_view raw, bool quoted, const ast::Loc& start, diag::Sink& sink);

}  // namespace stockade::frontend
