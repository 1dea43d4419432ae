// SPDX-License-Identifier: Apache-2.0
// The generated parser and scanner headers, included in the order that
// makes flex declare policy_lex with the parser's return type.
#pragma once

#include "policy_parser.hh"

#ifndef YY_DECL
#define YY_DECL stockade::frontend::Parser::symbol_type policy_lex(yyscan_t yyscanner)
#endif
#include "policy_lexer.hh"
