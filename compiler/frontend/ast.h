// SPDX-License-Identifier: Apache-2.0
// The syntax tree of .policy files, as the parser builds it: no names are
// resolved and no values are checked here. Every node carries the source
// location of the token that names it (file, line, column, length), so each
// later pass can point a diagnostic at the right place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "diag/diagnostics.h"

namespace stockade::frontend::ast {

using Loc = diag::Location;

// A piece of a path or string: literal text, or a `${NAME}` reference.
struct Piece {
  bool is_param = false;
  std::string text;  // literal bytes (escapes already applied), or the param name
  Loc loc;           // of the literal run or of the whole `${NAME}`
};

// A path (quoted or not) or a string, as a sequence of pieces.
struct Text {
  std::vector<Piece> pieces;
  bool quoted = false;
  Loc loc;
};

// The text as written, ${X} included, for messages and comparisons.
inline std::string spelled(const Text& t) {
  std::string out;
  for (const Piece& p : t.pieces) out += p.is_param ? "${" + p.text + "}" : p.text;
  return out;
}

// A number with an optional unit, `inf`, `none`, or `${NAME}` in a numeric slot.
struct Quantity {
  enum class Kind { Number, Inf, None, Param };
  Kind kind = Kind::Number;
  std::string digits;  // as written: "4096", "0x1000", "1777"
  std::string unit;    // "" when none was written
  std::string param;   // Kind::Param
  Loc loc;
};

// `if NAME` / `if !NAME` at the end of a statement.
struct Guard {
  std::string param;
  bool negated = false;
  Loc loc;  // of NAME
};

// A name with its location (rlimit names, namespaces, env vars, ...).
struct Name {
  std::string text;
  Loc loc;
};

struct Hostname {
  Text value;
};
struct Cwd {
  Text path;
};
struct TimeLimit {
  Quantity value;
};
// `network filtered { RULES }`: the rules as raw text (compiler/egress/rules.h reads them).
struct FilterBlock {
  std::string text;  // between the braces
  Loc body;          // of the body's first byte
  Loc mode;          // of the word `filtered`
};
struct NetworkStmt {
  Name mode;
  std::optional<FilterBlock> rules;  // `filtered` only
};
struct NamespaceStmt {
  Name ns;
  bool on = true;
};
struct IdMapStmt {
  bool gid = false;
  Quantity inside, outside, count;
};

enum class MountKind { Bind, Tmpfs, Proc, Dev, Symlink, File, Mkdir, Overlay };
enum class MountOptKind { Ro, Rw, Nosuid, Suid, Nodev, Dev, Noexec, Exec, Size, Mode, Within, Follow, Socket };
struct MountOpt {
  MountOptKind kind = MountOptKind::Ro;
  Quantity value;            // Size, Mode
  std::optional<Text> path;  // Within, Follow
  Loc loc;
};
struct MountStmt {
  MountKind kind = MountKind::Bind;
  bool optional = false;         // `bind?`
  std::optional<Text> source;    // bind/symlink: first path; dev: the node
  Text target;                   // bind without `->`: equals source
  bool explicit_target = false;  // `->` was written
  bool each = false;             // `bind each ${LIST}`: one bind per value
  std::optional<Text> content;   // file
  std::vector<MountOpt> opts;
  // overlay: `lower A : B` / repeated `lower` (topmost first), `upper DIR work
  // DIR` or `upper tmpfs`. Parsed on any mount; the overlay check refuses
  // them elsewhere.
  std::vector<Text> lower;
  std::optional<Text> upper, work;
  std::optional<Loc> upper_tmpfs;  // of `tmpfs` after `upper`
  std::vector<Name> layer_words;   // each `lower`, `upper` and `work` keyword, in order
};

struct RlimitStmt {
  Name resource;  // "all" only with inherit
  bool inherit = false;
  bool split = false;   // `soft X hard Y`
  Quantity soft, hard;  // equal unless split
};
struct CgroupStmt {
  Name limit;
  Quantity value;
};

enum class EnvOpKind { Clear, Keep, Pass, Set, Unset };
struct EnvStmt {
  EnvOpKind op = EnvOpKind::Clear;
  Name name;   // Pass (one statement per name), Set, Unset
  Text value;  // Set
};
struct CapStmt {
  Name cap;
};
struct NoNewPrivs {
  bool on = true;
};
struct SessionStmt {
  Name mode;
};
struct PassFd {
  Quantity fd;
};
struct SeccompBlock {
  std::string text;  // raw Kafel text between the braces
  Loc body;          // of the body's first byte
};
struct ExpectStmt {
  std::string text;  // after `expect`, comment and trailing blanks removed
  Loc loc;           // of the text's first byte
};
struct ParamDecl {
  Name name;
  Name type;          // path, name, string, int, size, duration, bool, relpath, volume
  bool list = false;  // `type[]`: zero or more values
  bool optional = false;
  std::optional<Quantity> lo, hi;
  // Default: a quantity, a text (string or path) or a bool literal.
  std::optional<Quantity> def_quantity;
  std::optional<Text> def_text;
  std::optional<bool> def_bool;
  Loc def_loc;
  // `within DIR...` (path params): the roots a value must lie at or below.
  std::vector<Text> within;
  Loc within_loc;  // of the `within` keyword
};

using StmtBody =
    std::variant<Hostname, Cwd, TimeLimit, NetworkStmt, NamespaceStmt, IdMapStmt, MountStmt, RlimitStmt, CgroupStmt,
                 EnvStmt, CapStmt, NoNewPrivs, SessionStmt, PassFd, SeccompBlock, ExpectStmt, ParamDecl>;

struct Stmt {
  StmtBody body;
  std::optional<Guard> guard;
  Loc loc;  // of the statement's first token
};

struct Policy {
  Name name;
  bool abstract = false;
  std::optional<Name> parent;
  std::vector<Stmt> body;
  Loc loc;  // of the `policy` keyword
};

struct Include {
  std::string path;  // as written
  Loc loc;           // of the string
};

struct File {
  std::string name;  // as used in diagnostics
  std::string dir;   // includes are resolved relative to this directory
  std::vector<Include> includes;
  // Filled by the include pass: for each entry of `includes`, the index of
  // that file in Program::files (-1 when it could not be read).
  std::vector<long> resolved;
  std::vector<Policy> policies;
  std::vector<SeccompBlock> seccomp;  // top-level shared Kafel definitions
};

// Everything one compile read: the files in include order (a file's includes
// come before it), each once.
struct Program {
  std::vector<File> files;
};

}  // namespace stockade::frontend::ast
