// SPDX-License-Identifier: Apache-2.0
#include "frontend/parse.h"

#include "frontend/lex_state.h"
#include "frontend/scanner.h"

namespace stockade::frontend {

bool parse_text(const std::string& file, const std::string& dir, const std::string& text, diag::Sink& sink,
                ast::File& out) {
  out = ast::File{};
  out.name = file;
  out.dir = dir;
  LexState state;
  state.file = file;
  state.sink = &sink;
  state.source = text;
  state.out = &out;
  size_t errors_before = sink.error_count();

  yyscan_t scanner = nullptr;
  if (policy_lex_init_extra(&state, &scanner) != 0) {
    sink.error({file, 0, 0, 1}, "cannot start the scanner");
    return false;
  }
  YY_BUFFER_STATE buffer = policy__scan_bytes(text.data(), static_cast<int>(text.size()), scanner);
  Parser parser(scanner, state);
  int rc = parser.parse();
  policy__delete_buffer(buffer, scanner);
  policy_lex_destroy(scanner);
  return rc == 0 && sink.error_count() == errors_before;
}

}  // namespace stockade::frontend
