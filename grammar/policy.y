/* SPDX-License-Identifier: Apache-2.0 */
/* Grammar of .policy files (docs/language.md). The actions only build AST
 * nodes (compiler/frontend/ast.h); every check is a later pass. */
%require "3.7"
%skeleton "lalr1.cc"
%language "c++"
%define api.namespace {stockade::frontend}
%define api.parser.class {Parser}
%define api.value.type variant
%define api.token.constructor
%define api.token.prefix {TOK_}
%define api.location.type {stockade::frontend::ast::Loc}
%define parse.error custom
%locations

%code requires {
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diag/suggest.h"
#include "frontend/ast.h"
#include "frontend/lex_state.h"

typedef void* yyscan_t;
}

%code provides {
// The scanner (grammar/policy.l), reentrant: all its state is in `yyscanner`.
stockade::frontend::Parser::symbol_type policy_lex(yyscan_t yyscanner);
}

%parse-param {yyscan_t scanner} {stockade::frontend::LexState& st}
%lex-param {yyscan_t scanner}

%code {
#define YYLLOC_DEFAULT(Cur, Rhs, N) \
  do { (Cur) = (N) ? YYRHSLOC(Rhs, 1) : YYRHSLOC(Rhs, 0); } while (0)

#define yylex policy_lex

namespace {
namespace ast = stockade::frontend::ast;

ast::Stmt stmt(ast::StmtBody body, const ast::Loc& at, std::optional<ast::Guard> guard) {
  ast::Stmt s;
  s.body = std::move(body);
  s.loc = at;
  s.guard = std::move(guard);
  return s;
}
ast::Quantity number(std::string digits, std::string unit, const ast::Loc& at) {
  ast::Quantity q;
  q.kind = ast::Quantity::Kind::Number;
  q.digits = std::move(digits);
  q.unit = std::move(unit);
  q.loc = at;
  return q;
}
ast::Quantity special(ast::Quantity::Kind kind, const ast::Loc& at) {
  ast::Quantity q;
  q.kind = kind;
  q.loc = at;
  return q;
}
ast::Text param_text(std::string name, const ast::Loc& at) {
  ast::Text t;
  t.loc = at;
  t.pieces.push_back({true, std::move(name), at});
  return t;
}
ast::MountOpt opt(ast::MountOptKind kind, const ast::Loc& at) {
  ast::MountOpt o;
  o.kind = kind;
  o.loc = at;
  return o;
}
ast::MountStmt mount(ast::MountKind kind, std::optional<ast::Text> source, ast::Text target, bool arrow) {
  ast::MountStmt m;
  m.kind = kind;
  m.source = std::move(source);
  m.target = std::move(target);
  m.explicit_target = arrow;
  return m;
}
// Text with params written back as ${NAME}: for include paths.
std::string plain(const ast::Text& t) {
  std::string out;
  for (const ast::Piece& p : t.pieces) out += p.is_param ? "${" + p.text + "}" : p.text;
  return out;
}
}  // namespace
}

%token END 0 "end of file"
%token <std::string> IDENT "identifier"
%token <std::string> NUMBER "number"
%token <std::pair<std::string, std::string>> NUMUNIT "number with unit"
%token <std::string> UNIT "unit"
%token <std::string> PARAMREF "${...}"
%token <ast::Text> PATH "path"
%token <ast::Text> STRING "string"
%token <ast::SeccompBlock> SECCOMP_BODY "seccomp block"
%token <ast::ExpectStmt> EXPECT "expect"
%token <ast::FilterBlock> FILTER_BODY "filtered block"
%token INCLUDE "include" ABSTRACT "abstract" POLICY "policy" EXTENDS "extends" PARAM "param"
%token IN "in" IF "if" TRUE "true" FALSE "false"
%token HOSTNAME "hostname" CWD "cwd" TIME_LIMIT "time_limit" NONE "none" NETWORK "network"
%token NAMESPACES "namespaces" ON "on" OFF "off" UID_MAP "uid_map" GID_MAP "gid_map"
%token MOUNT "mount" BIND "bind" BINDQ "bind?" TMPFS "tmpfs" PROC "proc" DEVNODE "dev node" DEV "dev"
%token SYMLINK "symlink" FILE "file" MKDIR "mkdir" EACH "each" WITHIN "within" FOLLOW "follow"
%token SOCKET "socket"
%token RO "ro" RW "rw" NOSUID "nosuid" SUID "suid" NODEV "nodev" NOEXEC "noexec" EXEC "exec"
%token SIZE "size" MODE "mode"
%token OVERLAY "overlay" LOWER "lower" UPPER "upper" WORK "work"
%token LIMITS "limits" SOFT "soft" HARD "hard" INF "inf" INHERIT "inherit" CGROUP "cgroup"
%token ENV "env" CLEAR "clear" KEEP "keep" PASS "pass" SET "set" UNSET "unset"
%token CAPABILITIES "capabilities" NO_NEW_PRIVS "no_new_privs" SESSION "session" PASS_FD "pass_fd"
%token ARROW "->" DOTDOT ".." LBRACE "{" RBRACE "}" COLON ":" EQUALS "=" QUESTION "?" BANG "!"
%token COMMA "," SEMI ";" LISTMARK "[]"

%type <std::string> ident
%type <ast::Policy> policy
%type <bool> opt_abstract onoff opt_question opt_list
%type <std::optional<ast::Name>> opt_extends
%type <std::vector<ast::Stmt>> body stmts ns_items mount_items limit_items cgroup_items env_items cap_items
%type <std::optional<ast::Guard>> opt_guard
%type <ast::Quantity> quantity quantity_lit
%type <ast::Text> text
%type <ast::MountStmt> mount_head mount_item
%type <ast::MountOpt> mount_opt
%type <std::vector<ast::Name>> name_list
%type <std::vector<ast::Text>> lower_list
%type <std::vector<ast::Text>> text_list
%type <ast::ParamDecl> param_decl

%%

file
  : %empty
  | file top
  ;

top
  : INCLUDE STRING     { st.out->includes.push_back({plain($2), @2}); }
  | SECCOMP_BODY       { st.out->seccomp.push_back(std::move($1)); }
  | policy             { st.out->policies.push_back(std::move($1)); }
  | SEMI
  ;

policy
  : opt_abstract POLICY ident opt_extends LBRACE body RBRACE {
      $$.abstract = $1;
      $$.name = {$3, @3};
      $$.parent = std::move($4);
      $$.body = std::move($6);
      $$.loc = @2;
    }
  ;

opt_abstract
  : %empty    { $$ = false; }
  | ABSTRACT  { $$ = true; }
  ;

opt_extends
  : %empty         { $$ = std::nullopt; }
  | EXTENDS ident  { $$ = ast::Name{$2, @2}; }
  ;

body
  : %empty      { }
  | body stmts  { $$ = std::move($1); for (auto& s : $2) $$.push_back(std::move(s)); }
  | body SEMI   { $$ = std::move($1); }
  ;

/* Keywords are not reserved where a name is expected. */
ident
  : IDENT { $$ = $1; }
  | UNIT { $$ = $1; }
  | INCLUDE { $$ = "include"; } | ABSTRACT { $$ = "abstract"; } | POLICY { $$ = "policy"; }
  | EXTENDS { $$ = "extends"; } | PARAM { $$ = "param"; } | IN { $$ = "in"; }
  | TRUE { $$ = "true"; } | FALSE { $$ = "false"; }
  | HOSTNAME { $$ = "hostname"; } | CWD { $$ = "cwd"; } | TIME_LIMIT { $$ = "time_limit"; }
  | NONE { $$ = "none"; } | NETWORK { $$ = "network"; } | NAMESPACES { $$ = "namespaces"; }
  | ON { $$ = "on"; } | OFF { $$ = "off"; } | UID_MAP { $$ = "uid_map"; } | GID_MAP { $$ = "gid_map"; }
  | MOUNT { $$ = "mount"; } | BIND { $$ = "bind"; } | TMPFS { $$ = "tmpfs"; } | PROC { $$ = "proc"; }
  | DEV { $$ = "dev"; } | SYMLINK { $$ = "symlink"; } | FILE { $$ = "file"; } | MKDIR { $$ = "mkdir"; }
  | EACH { $$ = "each"; } | WITHIN { $$ = "within"; } | FOLLOW { $$ = "follow"; }
  | SOCKET { $$ = "socket"; }
  | RO { $$ = "ro"; } | RW { $$ = "rw"; } | NOSUID { $$ = "nosuid"; } | SUID { $$ = "suid"; }
  | NODEV { $$ = "nodev"; } | NOEXEC { $$ = "noexec"; } | EXEC { $$ = "exec"; }
  | SIZE { $$ = "size"; } | MODE { $$ = "mode"; }
  | LIMITS { $$ = "limits"; } | SOFT { $$ = "soft"; } | HARD { $$ = "hard"; } | INF { $$ = "inf"; }
  | INHERIT { $$ = "inherit"; } | CGROUP { $$ = "cgroup"; }
  | ENV { $$ = "env"; } | CLEAR { $$ = "clear"; } | KEEP { $$ = "keep"; } | PASS { $$ = "pass"; }
  | SET { $$ = "set"; } | UNSET { $$ = "unset"; }
  | CAPABILITIES { $$ = "capabilities"; } | NO_NEW_PRIVS { $$ = "no_new_privs"; }
  | SESSION { $$ = "session"; } | PASS_FD { $$ = "pass_fd"; }
  | OVERLAY { $$ = "overlay"; } | LOWER { $$ = "lower"; } | UPPER { $$ = "upper"; } | WORK { $$ = "work"; }
  ;

opt_guard
  : %empty            { $$ = std::nullopt; }
  | IF ident          { $$ = ast::Guard{$2, false, @2}; }
  | IF BANG ident     { $$ = ast::Guard{$3, true, @3}; }
  ;

quantity_lit
  : NUMBER            { $$ = number($1, "", @1); }
  | NUMBER UNIT       { $$ = number($1, $2, @1); $$.loc.length = @2.column + @2.length - @1.column; }
  | NUMUNIT           { $$ = number($1.first, $1.second, @1); }
  | INF               { $$ = special(ast::Quantity::Kind::Inf, @1); }
  ;

quantity
  : quantity_lit      { $$ = std::move($1); }
  | NONE              { $$ = special(ast::Quantity::Kind::None, @1); }
  | PARAMREF          { $$ = special(ast::Quantity::Kind::Param, @1); $$.param = $1; }
  ;

text
  : STRING            { $$ = std::move($1); }
  | PATH              { $$ = std::move($1); }
  | PARAMREF          { $$ = param_text($1, @1); }
  ;

onoff
  : ON   { $$ = true; }
  | OFF  { $$ = false; }
  ;

text_list
  : text                   { $$.push_back(std::move($1)); }
  | text_list text         { $$ = std::move($1); $$.push_back(std::move($2)); }
  ;

opt_list
  : %empty    { $$ = false; }
  | LISTMARK  { $$ = true; }
  ;

name_list
  : ident                  { $$.push_back({$1, @1}); }
  | name_list COMMA ident  { $$ = std::move($1); $$.push_back({$3, @3}); }
  ;

stmts
  : HOSTNAME text opt_guard       { $$.push_back(stmt(ast::Hostname{$2}, @1, $3)); }
  | CWD text opt_guard            { $$.push_back(stmt(ast::Cwd{$2}, @1, $3)); }
  | TIME_LIMIT quantity opt_guard { $$.push_back(stmt(ast::TimeLimit{$2}, @1, $3)); }
  | NETWORK ident opt_guard       { $$.push_back(stmt(ast::NetworkStmt{{$2, @2}, std::nullopt}, @1, $3)); }
  | FILTER_BODY opt_guard {
      ast::Name mode{"filtered", $1.mode};
      $$.push_back(stmt(ast::NetworkStmt{mode, std::move($1)}, @1, $2));
    }
  | NAMESPACES LBRACE ns_items RBRACE      { $$ = std::move($3); }
  | UID_MAP quantity quantity quantity opt_guard {
      $$.push_back(stmt(ast::IdMapStmt{false, $2, $3, $4}, @1, $5));
    }
  | GID_MAP quantity quantity quantity opt_guard {
      $$.push_back(stmt(ast::IdMapStmt{true, $2, $3, $4}, @1, $5));
    }
  | MOUNT LBRACE mount_items RBRACE        { $$ = std::move($3); }
  | LIMITS LBRACE limit_items RBRACE       { $$ = std::move($3); }
  | CGROUP LBRACE cgroup_items RBRACE      { $$ = std::move($3); }
  | ENV LBRACE env_items RBRACE            { $$ = std::move($3); }
  | CAPABILITIES LBRACE cap_items RBRACE   { $$ = std::move($3); }
  | NO_NEW_PRIVS onoff opt_guard  { $$.push_back(stmt(ast::NoNewPrivs{$2}, @1, $3)); }
  | SESSION ident opt_guard       { $$.push_back(stmt(ast::SessionStmt{{$2, @2}}, @1, $3)); }
  | PASS_FD quantity opt_guard    { $$.push_back(stmt(ast::PassFd{$2}, @1, $3)); }
  | SECCOMP_BODY                  { $$.push_back(stmt($1, @1, std::nullopt)); }
  | EXPECT                        { $$.push_back(stmt($1, @1, std::nullopt)); }
  | param_decl                    { $$.push_back(stmt($1, @1, std::nullopt)); }
  ;

param_decl
  : PARAM ident COLON ident opt_list opt_question {
      $$.name = {$2, @2};
      $$.type = {$4, @4};
      $$.list = $5;
      $$.optional = $6;
    }
  | param_decl IN quantity_lit DOTDOT quantity_lit {
      $$ = std::move($1);
      $$.lo = $3;
      $$.hi = $5;
    }
  | param_decl EQUALS quantity_lit { $$ = std::move($1); $$.def_quantity = $3; $$.def_loc = @3; }
  | param_decl EQUALS STRING       { $$ = std::move($1); $$.def_text = $3; $$.def_loc = @3; }
  | param_decl EQUALS PATH         { $$ = std::move($1); $$.def_text = $3; $$.def_loc = @3; }
  | param_decl EQUALS TRUE         { $$ = std::move($1); $$.def_bool = true; $$.def_loc = @3; }
  | param_decl EQUALS FALSE        { $$ = std::move($1); $$.def_bool = false; $$.def_loc = @3; }
  | param_decl WITHIN text_list {
      $$ = std::move($1);
      $$.within_loc = @2;
      for (ast::Text& t : $3) $$.within.push_back(std::move(t));
    }
  ;

opt_question
  : %empty    { $$ = false; }
  | QUESTION  { $$ = true; }
  ;

ns_items
  : %empty                           { }
  | ns_items SEMI                    { $$ = std::move($1); }
  | ns_items ident onoff opt_guard   {
      $$ = std::move($1);
      $$.push_back(stmt(ast::NamespaceStmt{{$2, @2}, $3}, @2, $4));
    }
  ;

mount_items
  : %empty                    { }
  | mount_items SEMI          { $$ = std::move($1); }
  | mount_items mount_item opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(std::move($2), @2, $3));
    }
  ;

mount_item
  : mount_head                { $$ = std::move($1); }
  | mount_item mount_opt      { $$ = std::move($1); $$.opts.push_back($2); }
  | mount_item LOWER lower_list {
      $$ = std::move($1);
      $$.layer_words.push_back({"lower", @2});
      for (auto& t : $3) $$.lower.push_back(std::move(t));
    }
  | mount_item UPPER text     { $$ = std::move($1); $$.layer_words.push_back({"upper", @2}); $$.upper = $3; }
  | mount_item UPPER TMPFS    { $$ = std::move($1); $$.layer_words.push_back({"upper", @2}); $$.upper_tmpfs = @3; }
  | mount_item WORK text      { $$ = std::move($1); $$.layer_words.push_back({"work", @2}); $$.work = $3; }
  | mount_item WITHIN text_list {
      $$ = std::move($1);
      for (ast::Text& t : $3) {
        ast::MountOpt o = opt(ast::MountOptKind::Within, @2);
        o.path = std::move(t);
        $$.opts.push_back(std::move(o));
      }
    }
  ;

/* Overlay layers, topmost first, as overlayfs orders lowerdir. */
lower_list
  : text                      { $$.push_back($1); }
  | lower_list COLON text     { $$ = std::move($1); $$.push_back($3); }
  ;

mount_head
  : BIND text                 { $$ = mount(ast::MountKind::Bind, $2, $2, false); }
  | BIND text ARROW text      { $$ = mount(ast::MountKind::Bind, $2, $4, true); }
  | BINDQ text                { $$ = mount(ast::MountKind::Bind, $2, $2, false); $$.optional = true; }
  | BINDQ text ARROW text     { $$ = mount(ast::MountKind::Bind, $2, $4, true); $$.optional = true; }
  | BIND EACH text            { $$ = mount(ast::MountKind::Bind, $3, $3, false); $$.each = true; }
  | BIND EACH text ARROW text { $$ = mount(ast::MountKind::Bind, $3, $5, true); $$.each = true; }
  | BINDQ EACH text           { $$ = mount(ast::MountKind::Bind, $3, $3, false); $$.each = true; $$.optional = true; }
  | BINDQ EACH text ARROW text {
      $$ = mount(ast::MountKind::Bind, $3, $5, true);
      $$.each = true;
      $$.optional = true;
    }
  | TMPFS text                { $$ = mount(ast::MountKind::Tmpfs, std::nullopt, $2, false); }
  | PROC text                 { $$ = mount(ast::MountKind::Proc, std::nullopt, $2, false); }
  | DEVNODE text              { $$ = mount(ast::MountKind::Dev, $2, $2, false); }
  | SYMLINK text ARROW text   { $$ = mount(ast::MountKind::Symlink, $4, $2, true); }
  | FILE text STRING          { $$ = mount(ast::MountKind::File, std::nullopt, $2, false); $$.content = $3; }
  | MKDIR text                { $$ = mount(ast::MountKind::Mkdir, std::nullopt, $2, false); }
  | OVERLAY text              { $$ = mount(ast::MountKind::Overlay, std::nullopt, $2, false); }
  ;

mount_opt
  : RO      { $$ = opt(ast::MountOptKind::Ro, @1); }
  | RW      { $$ = opt(ast::MountOptKind::Rw, @1); }
  | NOSUID  { $$ = opt(ast::MountOptKind::Nosuid, @1); }
  | SUID    { $$ = opt(ast::MountOptKind::Suid, @1); }
  | NODEV   { $$ = opt(ast::MountOptKind::Nodev, @1); }
  | DEV     { $$ = opt(ast::MountOptKind::Dev, @1); }
  | NOEXEC  { $$ = opt(ast::MountOptKind::Noexec, @1); }
  | EXEC    { $$ = opt(ast::MountOptKind::Exec, @1); }
  | SIZE quantity  { $$ = opt(ast::MountOptKind::Size, @1); $$.value = $2; }
  | MODE quantity  { $$ = opt(ast::MountOptKind::Mode, @1); $$.value = $2; }
  | FOLLOW text    { $$ = opt(ast::MountOptKind::Follow, @1); $$.path = $2; }
  | SOCKET         { $$ = opt(ast::MountOptKind::Socket, @1); }
  ;

limit_items
  : %empty                  { }
  | limit_items SEMI        { $$ = std::move($1); }
  | limit_items IDENT quantity opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::RlimitStmt{{$2, @2}, false, false, $3, $3}, @2, $4));
    }
  | limit_items IDENT SOFT quantity HARD quantity opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::RlimitStmt{{$2, @2}, false, true, $4, $6}, @2, $7));
    }
  | limit_items INHERIT IDENT opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::RlimitStmt{{$3, @3}, true, false, {}, {}}, @2, $4));
    }
  ;

cgroup_items
  : %empty                  { }
  | cgroup_items SEMI       { $$ = std::move($1); }
  | cgroup_items IDENT quantity opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::CgroupStmt{{$2, @2}, $3}, @2, $4));
    }
  ;

env_items
  : %empty                  { }
  | env_items SEMI          { $$ = std::move($1); }
  | env_items CLEAR opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::EnvStmt{ast::EnvOpKind::Clear, {}, {}}, @2, $3));
    }
  | env_items KEEP opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::EnvStmt{ast::EnvOpKind::Keep, {}, {}}, @2, $3));
    }
  | env_items PASS name_list opt_guard {
      $$ = std::move($1);
      for (auto& n : $3) $$.push_back(stmt(ast::EnvStmt{ast::EnvOpKind::Pass, n, {}}, @2, $4));
    }
  | env_items SET ident EQUALS text opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::EnvStmt{ast::EnvOpKind::Set, {$3, @3}, $5}, @2, $6));
    }
  | env_items UNSET ident opt_guard {
      $$ = std::move($1);
      $$.push_back(stmt(ast::EnvStmt{ast::EnvOpKind::Unset, {$3, @3}, {}}, @2, $4));
    }
  ;

cap_items
  : %empty                  { }
  | cap_items SEMI          { $$ = std::move($1); }
  | cap_items KEEP name_list opt_guard {
      $$ = std::move($1);
      for (auto& n : $3) $$.push_back(stmt(ast::CapStmt{n}, n.loc, $4));
    }
  ;

%%

void stockade::frontend::Parser::error(const location_type& at, const std::string& message) {
  st.sink->error(at, message);
}

namespace {
// Keywords and punctuation are quoted in messages; token classes are not.
std::string spelled(stockade::frontend::Parser::symbol_kind_type kind) {
  using K = stockade::frontend::Parser::symbol_kind;
  std::string name = stockade::frontend::Parser::symbol_name(kind);
  if (kind >= K::S_INCLUDE && kind <= K::S_SEMI && kind != K::S_DEVNODE) return "'" + name + "'";
  return name;
}
}  // namespace

void stockade::frontend::Parser::report_syntax_error(const context& ctx) const {
  using K = symbol_kind;
  std::string message = "syntax error";
  if (!ctx.lookahead().empty()) {
    message += ", unexpected ";
    message += spelled(ctx.token());
    if (ctx.token() == K::S_IDENT) message += " '" + ctx.lookahead().value.as<std::string>() + "'";
  }
  symbol_kind_type expected[K::YYNTOKENS];
  int n = ctx.expected_tokens(expected, K::YYNTOKENS);
  bool expects_rbrace = false;
  std::vector<std::string> keywords;
  for (int i = 0; i < n; ++i) {
    expects_rbrace = expects_rbrace || expected[i] == K::S_RBRACE;
    if (expected[i] == K::S_SECCOMP_BODY) keywords.push_back("seccomp");
    else if (expected[i] == K::S_EXPECT) keywords.push_back("expect");
    else if (expected[i] >= K::S_INCLUDE && expected[i] <= K::S_PASS_FD && expected[i] != K::S_DEVNODE)
      keywords.push_back(symbol_name(expected[i]));
  }
  // The end of the file or a keyword that cannot go here, where a '}' could:
  // most likely a '}' is missing; say which '{' it would close.
  bool keyword_or_end = ctx.token() == K::S_YYEOF || (ctx.token() >= K::S_INCLUDE && ctx.token() <= K::S_PASS_FD) ||
                        ctx.token() == K::S_SECCOMP_BODY || ctx.token() == K::S_EXPECT;
  bool unclosed = expects_rbrace && keyword_or_end && !st.open_braces.empty();
  // Listing more than a handful of alternatives helps nobody.
  enum { kMaxExpected = 6 };
  if (unclosed && ctx.token() == K::S_YYEOF) {
    message += ", expecting '}'";
  } else if (n <= kMaxExpected) {
    for (int i = 0; i < n; ++i) {
      message += i == 0 ? ", expecting " : (i + 1 == n ? " or " : ", ");
      message += spelled(expected[i]);
    }
  }
  // A misspelt keyword (hostnme): the closest keyword that fits here.
  if (!ctx.lookahead().empty() && ctx.token() == K::S_IDENT)
    message += stockade::diag::did_you_mean(ctx.lookahead().value.as<std::string>(), keywords);
  st.sink->error(ctx.location(), message);
  if (unclosed) st.sink->note(st.open_braces.back(), "the block opened here is not closed");
}
