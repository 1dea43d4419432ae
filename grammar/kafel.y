/* SPDX-License-Identifier: Apache-2.0 */
// Kafel grammar (the seccomp language nsjail uses), C++ bison. Actions only
// build ast:: nodes; constants, syscall names and argument names are resolved
// later (compiler/seccomp/resolve.cc) so every check is testable alone.
%require "3.7"
%language "c++"
%skeleton "lalr1.cc"
%define api.namespace {stockade::seccomp::kafel}
%define api.parser.class {Parser}
%define api.value.type variant
%define api.token.constructor
%define api.token.prefix {TOK_}
%define parse.error detailed
%define parse.lac full
%define api.location.type {stockade::seccomp::ast::Loc}
%locations
%param {void* scanner} {stockade::seccomp::LexContext& ctx}

%code requires {
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include "kafel_ast.h"
#include "kafel_parse.h"
// The parser's value types are the AST's.
namespace stockade::seccomp::kafel {
using namespace stockade::seccomp::ast;
}
// A rule's span runs from its first symbol to its last.
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
  do {                                                                \
    if (N) {                                                          \
      (Cur) = YYRHSLOC(Rhs, 1);                                       \
      (Cur).end_line = YYRHSLOC(Rhs, N).end_line;                     \
      (Cur).end_column = YYRHSLOC(Rhs, N).end_column;                 \
    } else {                                                          \
      (Cur) = YYRHSLOC(Rhs, 0);                                       \
      (Cur).line = (Cur).end_line;                                    \
      (Cur).column = (Cur).end_column;                                \
    }                                                                 \
  } while (0)
}

%code {
namespace stockade::seccomp::kafel {
Parser::symbol_type lex(void* scanner, LexContext& ctx);
}
#define yylex stockade::seccomp::kafel::lex
using namespace stockade::seccomp::ast;
namespace {
// Kafel's bound on expression depth: a node whose child is already
// kMaxExprDepth deep is refused, at the operator, and the parse stops.
bool too_deep(uint32_t l, uint32_t r, const Loc& op, stockade::seccomp::LexContext& ctx) {
  if (l < kMaxExprDepth && r < kMaxExprDepth) return false;
  ctx.error(op, "expression nested too deeply (more than " + std::to_string(kMaxExprDepth) +
                    " levels, Kafel's limit)");
  ctx.aborted = true;
  return true;
}
ValuePtr binary(Value::Kind k, ValuePtr l, ValuePtr r, const Loc& at) {
  auto v = std::make_shared<Value>();
  v->depth = 1 + std::max(l->depth, r->depth);
  v->kind = k; v->left = std::move(l); v->right = std::move(r); v->loc = at;
  return v;
}
BoolPtr cmp(CmpOp op, ValuePtr l, ValuePtr r, const Loc& at) {
  auto b = std::make_shared<Bool>();
  b->depth = 1 + std::max(l->depth, r->depth);
  b->kind = Bool::Kind::Cmp; b->op = op; b->lhs = std::move(l); b->rhs = std::move(r); b->loc = at;
  return b;
}
BoolPtr logic(Bool::Kind k, BoolPtr l, BoolPtr r, const Loc& at) {
  auto b = std::make_shared<Bool>();
  b->depth = 1 + std::max(l->depth, r ? r->depth : 0u);
  b->kind = k; b->left = std::move(l); b->right = std::move(r); b->loc = at;
  return b;
}
Action simple(Action::Kind k, const Loc& at) { Action a; a.kind = k; a.loc = at; return a; }
Action valued(Action::Kind k, ValuePtr v, const Loc& at) { Action a = simple(k, at); a.value = std::move(v); return a; }
}
}

%token END 0 "end of input"
%token <std::string> IDENT "identifier"
%token <uint64_t> NUMBER "number"
%token POLICY "POLICY" USE "USE" DEFAULT "DEFAULT" SYSCALL "SYSCALL" DEFINE "#define"
%token ALLOW "ALLOW" LOG "LOG" KILL "KILL" KILL_THREAD "KILL_THREAD" DENY "DENY"
%token KILL_PROCESS "KILL_PROCESS" USER_NOTIF "USER_NOTIF" ERRNO "ERRNO" TRAP "TRAP" TRACE "TRACE"
%token EQ "==" NE "!=" LT "<" LE "<=" GT ">" GE ">=" ANDAND "&&" OROR "||"
%token AMP "&" PIPE "|" BANG "!" LPAREN "(" RPAREN ")" LBRACE "{" RBRACE "}"
%token LBRACKET "[" RBRACKET "]" COMMA "," SEMI ";"

%type <ValuePtr> value
%type <BoolPtr> bool_expr or_expr and_expr primary
%type <CmpOp> cmp_op
%type <Action> action
%type <Entry> entry
%type <std::vector<Entry>> entries entries_opt
%type <Filter> filter
%type <std::vector<Filter>> filters filters_opt
%type <SyscallRef> syscall
%type <std::vector<ArgDecl>> arg_decls
%type <Statement> statement

%left PIPE
%left AMP

%%

unit
  : %empty
  | unit statement { ctx.unit->statements.push_back(std::move($2)); }
  | unit COMMA
  | unit SEMI
  ;

statement
  : DEFINE IDENT value
      { $$.kind = Statement::Kind::Define; $$.name = $2; $$.value = $3; $$.loc = @2; }
  | POLICY IDENT LBRACE entries_opt RBRACE
      { $$.kind = Statement::Kind::Policy; $$.policy.name = $2; $$.policy.loc = @2;
        $$.policy.entries = std::move($4); $$.loc = @2; }
  | entry
      { $$.kind = Statement::Kind::Entry; $$.entry = std::move($1); $$.loc = @1; }
  | DEFAULT action
      { $$.kind = Statement::Kind::Default; $$.action = std::move($2); $$.loc = @1; }
  | IDENT IDENT
      {
        // `ABI x32` (a Stockade extension). ABI is no keyword, so that a
        // Kafel policy or constant may be called ABI.
        if ($1 != "ABI") {
          error(@1, "syntax error, unexpected identifier `" + $1 + "'");
          YYERROR;
        }
        $$.kind = Statement::Kind::Abi; $$.name = $2; $$.loc = @2;
      }
  ;

entries_opt
  : %empty { }
  | entries { $$ = std::move($1); }
  | entries COMMA { $$ = std::move($1); }
  ;

entries
  : entry { $$.push_back(std::move($1)); }
  | entries COMMA entry { $$ = std::move($1); $$.push_back(std::move($3)); }
  ;

entry
  : USE IDENT { $$.is_use = true; $$.use_name = $2; $$.loc = @2; }
  | action LBRACE filters_opt RBRACE { $$.action = std::move($1); $$.filters = std::move($3); $$.loc = @1; }
  ;

action
  : ALLOW { $$ = simple(Action::Kind::Allow, @1); }
  | LOG { $$ = simple(Action::Kind::Log, @1); }
  | KILL { $$ = simple(Action::Kind::Kill, @1); }
  | KILL_THREAD { $$ = simple(Action::Kind::KillThread, @1); }
  | DENY { $$ = simple(Action::Kind::Deny, @1); }
  | KILL_PROCESS { $$ = simple(Action::Kind::KillProcess, @1); }
  | USER_NOTIF { $$ = simple(Action::Kind::UserNotif, @1); }
  | ERRNO LPAREN value RPAREN { $$ = valued(Action::Kind::Errno, $3, @1); }
  | TRAP LPAREN value RPAREN { $$ = valued(Action::Kind::Trap, $3, @1); }
  | TRACE LPAREN value RPAREN { $$ = valued(Action::Kind::Trace, $3, @1); }
  ;

filters_opt
  : %empty { }
  | filters { $$ = std::move($1); }
  | filters COMMA { $$ = std::move($1); }
  ;

filters
  : filter { $$.push_back(std::move($1)); }
  | filters COMMA filter { $$ = std::move($1); $$.push_back(std::move($3)); }
  ;

filter
  : syscall { $$.syscall = std::move($1); }
  | syscall LBRACE RBRACE { $$.syscall = std::move($1); }
  | syscall LBRACE bool_expr RBRACE { $$.syscall = std::move($1); $$.condition = $3; }
  ;

syscall
  : IDENT { $$.name = $1; $$.loc = @1; }
  | IDENT LPAREN RPAREN { $$.name = $1; $$.loc = @1; $$.declares_args = true; }
  | IDENT LPAREN arg_decls RPAREN { $$.name = $1; $$.loc = @1; $$.declares_args = true; $$.args = std::move($3); }
  | SYSCALL LBRACKET value RBRACKET { $$.by_number = true; $$.number = $3; $$.loc = @$; }
  | SYSCALL LBRACKET value RBRACKET LPAREN RPAREN
      { $$.by_number = true; $$.number = $3; $$.loc = @1; $$.loc.end_line = @4.end_line;
        $$.loc.end_column = @4.end_column; $$.declares_args = true; }
  | SYSCALL LBRACKET value RBRACKET LPAREN arg_decls RPAREN
      { $$.by_number = true; $$.number = $3; $$.loc = @1; $$.loc.end_line = @4.end_line;
        $$.loc.end_column = @4.end_column; $$.declares_args = true; $$.args = std::move($6); }
  ;

arg_decls
  : IDENT { $$.push_back(ArgDecl{$1, @1}); }
  | arg_decls COMMA IDENT { $$ = std::move($1); $$.push_back(ArgDecl{$3, @3}); }
  ;

bool_expr
  : bool_expr COMMA or_expr
      { if (too_deep($1->depth, $3->depth, @2, ctx)) YYABORT; $$ = logic(Bool::Kind::Or, $1, $3, @$); }
  | or_expr { $$ = $1; }
  ;

or_expr
  : or_expr OROR and_expr
      { if (too_deep($1->depth, $3->depth, @2, ctx)) YYABORT; $$ = logic(Bool::Kind::Or, $1, $3, @$); }
  | and_expr { $$ = $1; }
  ;

and_expr
  : and_expr ANDAND primary
      { if (too_deep($1->depth, $3->depth, @2, ctx)) YYABORT; $$ = logic(Bool::Kind::And, $1, $3, @$); }
  | primary { $$ = $1; }
  ;

primary
  : LPAREN bool_expr RPAREN { $$ = $2; }
  | BANG primary { if (too_deep($2->depth, 0, @1, ctx)) YYABORT; $$ = logic(Bool::Kind::Not, $2, nullptr, @$); }
  | value cmp_op value { if (too_deep($1->depth, $3->depth, @2, ctx)) YYABORT; $$ = cmp($2, $1, $3, @$); }
  ;

cmp_op
  : EQ { $$ = CmpOp::Eq; }
  | NE { $$ = CmpOp::Ne; }
  | LT { $$ = CmpOp::Lt; }
  | LE { $$ = CmpOp::Le; }
  | GT { $$ = CmpOp::Gt; }
  | GE { $$ = CmpOp::Ge; }
  ;

value
  : NUMBER { $$ = std::make_shared<Value>(); $$->kind = Value::Kind::Number; $$->number = $1; $$->loc = @1; }
  | IDENT { $$ = std::make_shared<Value>(); $$->kind = Value::Kind::Ident; $$->ident = $1; $$->loc = @1; }
  | value AMP value
      { if (too_deep($1->depth, $3->depth, @2, ctx)) YYABORT; $$ = binary(Value::Kind::BitAnd, $1, $3, @$); }
  | value PIPE value
      { if (too_deep($1->depth, $3->depth, @2, ctx)) YYABORT; $$ = binary(Value::Kind::BitOr, $1, $3, @$); }
  | LPAREN value RPAREN { $$ = $2; }
  ;

%%

void stockade::seccomp::kafel::Parser::error(const location_type& at, const std::string& message) {
  if (!ctx.aborted) ctx.error(at, message);
}
