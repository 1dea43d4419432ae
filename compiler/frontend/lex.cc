// SPDX-License-Identifier: Apache-2.0
#include "frontend/lex.h"

#include "frontend/lex_state.h"
#include "frontend/scanner.h"

namespace stockade::frontend {

std::vector<Token> lex(const std::string& file, const std::string& text, diag::Sink& sink) {
  std::vector<Token> out;
  ast::File scratch;
  LexState state;
  state.file = file;
  state.sink = &sink;
  state.source = text;
  state.out = &scratch;
  diag::SourceMap lines;
  lines.add(file, text);
  yyscan_t scanner = nullptr;
  if (policy_lex_init_extra(&state, &scanner) != 0) return out;
  YY_BUFFER_STATE buffer = policy__scan_bytes(text.data(), static_cast<int>(text.size()), scanner);
  for (;;) {
    Parser::symbol_type tok = policy_lex(scanner);
    Parser::symbol_kind_type kind = tok.kind();
    if (kind == Parser::symbol_kind::S_YYEOF || kind == Parser::symbol_kind::S_YYerror) break;
    Token t;
    t.kind = Parser::symbol_name(kind);
    t.loc = tok.location;
    t.text = lines.line(file, t.loc.line).substr(t.loc.column - 1, t.loc.length);
    out.push_back(std::move(t));
  }
  policy__delete_buffer(buffer, scanner);
  policy_lex_destroy(scanner);
  return out;
}

}  // namespace stockade::frontend
