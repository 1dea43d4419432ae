// SPDX-License-Identifier: Apache-2.0
#include "expect.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include "diag/suggest.h"
#include "interpreter.h"

namespace stockade::seccomp {
namespace {

struct Token {
  enum class Kind { Ident, Number, Punct, End };
  Kind kind = Kind::End;
  std::string text;
  uint64_t number = 0;
  uint32_t offset = 0;  // in the expect text
};

class ExpectParser {
 public:
  ExpectParser(const std::string& text, const diag::Location& where, const Constants& constants, diag::Sink& sink)
      : text_(text), where_(where), constants_(constants), sink_(sink) {}

  std::optional<ExpectCase> parse() {
    if (!tokenize()) return std::nullopt;
    ExpectCase c;
    // An optional ABI name, when another name follows it.
    if (peek().kind == Token::Kind::Ident && abi_from_name(peek().text) && peek(1).kind == Token::Kind::Ident) {
      c.abi = *abi_from_name(take().text);
    }
    const AbiInfo& abi = abi_info(c.abi);
    c.data.arch = abi.audit_arch;
    const Token& name = take();
    if (name.kind != Token::Kind::Ident) return fail(name, "expected a syscall name");
    c.syscall = name.text;
    c.syscall_column = name.offset;
    if (name.text == "SYSCALL") {
      if (!punct("[")) return fail(peek(), "expected `[' after SYSCALL");
      std::optional<uint64_t> nr = value();
      if (!nr) return std::nullopt;
      if (*nr > 0xffffffffu) return fail(name, "syscall number out of range");
      if (!punct("]")) return fail(peek(), "expected `]'");
      c.data.nr = static_cast<uint32_t>(*nr);
    } else {
      std::string canonical = canonical_name(name.text);
      std::optional<uint32_t> nr = canonical.empty() ? std::nullopt : syscall_number(c.abi, canonical);
      if (canonical.empty())
        return fail(name, "unknown syscall `" + name.text + "'" + diag::did_you_mean(name.text, syscall_names(c.abi)));
      if (!nr) return fail(name, "`" + name.text + "' is not a syscall on " + abi.name);
      c.data.nr = *nr;
    }
    if (punct("(")) {
      for (size_t i = 0; !punct(")"); ++i) {
        if (i == 6) return fail(peek(), "a syscall has at most 6 arguments");
        if (i > 0 && !punct(",")) return fail(peek(), "expected `,' or `)'");
        std::optional<uint64_t> v = value();
        if (!v) return std::nullopt;
        c.data.args[i] = *v;
      }
    }
    if (!punct("->")) return fail(peek(), "expected `->' and the expected action");
    std::optional<Action> a = action();
    if (!a) return std::nullopt;
    c.action = *a;
    if (peek().kind != Token::Kind::End) return fail(peek(), "unexpected `" + peek().text + "' after the action");
    return c;
  }

 private:
  std::nullopt_t fail(const Token& at, const std::string& message) {
    uint32_t len = at.text.empty() ? 1 : static_cast<uint32_t>(at.text.size());
    sink_.error(diag::Location{where_.file, where_.line, where_.column + at.offset, len}, message);
    return std::nullopt;
  }

  bool tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char ch = text_[i];
      if (std::isspace(static_cast<unsigned char>(ch))) {
        ++i;
        continue;
      }
      Token t;
      t.offset = static_cast<uint32_t>(i);
      if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '_') {
        size_t j = i;
        while (j < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) ++j;
        t.kind = Token::Kind::Ident;
        t.text = text_.substr(i, j - i);
        i = j;
      } else if (std::isdigit(static_cast<unsigned char>(ch)) ||
                 (ch == '-' && i + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        size_t j = i + 1;
        while (j < text_.size() && std::isalnum(static_cast<unsigned char>(text_[j]))) ++j;
        t.kind = Token::Kind::Number;
        t.text = text_.substr(i, j - i);
        if (!to_number(t.text, t.number)) {
          fail(t, "malformed number `" + t.text + "'");
          return false;
        }
        i = j;
      } else if (text_.compare(i, 2, "->") == 0 || text_.compare(i, 2, "<<") == 0) {
        t.kind = Token::Kind::Punct;
        t.text = text_.substr(i, 2);
        i += 2;
      } else if (std::string("()[],|").find(ch) != std::string::npos) {
        t.kind = Token::Kind::Punct;
        t.text = std::string(1, ch);
        ++i;
      } else {
        t.text = std::string(1, ch);
        fail(t, "unexpected character `" + t.text + "'");
        return false;
      }
      tokens_.push_back(t);
    }
    Token end;
    end.offset = static_cast<uint32_t>(text_.size());
    tokens_.push_back(end);
    return true;
  }

  static bool to_number(const std::string& s, uint64_t& out) {
    bool negative = s[0] == '-';
    std::string digits = negative ? s.substr(1) : s;
    int base = 10;
    if (digits.size() > 2 && (digits[1] == 'x' || digits[1] == 'X')) {
      base = 16;
      digits = digits.substr(2);
    } else if (digits.size() > 2 && (digits[1] == 'b' || digits[1] == 'B')) {
      base = 2;
      digits = digits.substr(2);
    } else if (digits.size() > 1 && digits[0] == '0') {
      base = 8;
      digits = digits.substr(1);
    }
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(digits.c_str(), &end, base);
    if (errno == ERANGE || !end || *end != '\0' || digits.empty()) return false;
    out = negative ? uint64_t{0} - v : v;
    return true;
  }

  const Token& peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& take() {
    const Token& t = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool punct(const char* p) {
    if (peek().kind == Token::Kind::Punct && peek().text == p) {
      take();
      return true;
    }
    return false;
  }

  // value := shift ('|' shift)* ; shift := atom ('<<' atom)*
  std::optional<uint64_t> value() {
    std::optional<uint64_t> v = shift();
    while (v && punct("|")) {
      std::optional<uint64_t> r = shift();
      if (!r) return std::nullopt;
      *v |= *r;
    }
    return v;
  }
  std::optional<uint64_t> shift() {
    std::optional<uint64_t> v = atom();
    while (v && punct("<<")) {
      const Token& at = peek();
      std::optional<uint64_t> r = atom();
      if (!r) return std::nullopt;
      if (*r >= 64) return fail(at, "shift by 64 or more");
      *v <<= *r;
    }
    return v;
  }
  std::optional<uint64_t> atom() {
    if (punct("(")) {
      std::optional<uint64_t> v = value();
      if (v && !punct(")")) return fail(peek(), "expected `)'");
      return v;
    }
    const Token& t = take();
    if (t.kind == Token::Kind::Number) return t.number;
    if (t.kind == Token::Kind::Ident) {
      if (const uint64_t* c = constants_.find(t.text)) return *c;
      return fail(t, "undefined constant `" + t.text + "'");
    }
    return fail(t, "expected a number");
  }

  std::optional<Action> action() {
    const Token& t = take();
    struct Simple {
      const char* name;
      Action action;
    };
    static constexpr Simple kSimple[] = {{"ALLOW", kAllow},         {"LOG", kLog},
                                         {"KILL", kKillThread},     {"KILL_THREAD", kKillThread},
                                         {"DENY", kKillThread},     {"KILL_PROCESS", kKillProcess},
                                         {"USER_NOTIF", kUserNotif}};
    static constexpr Simple kWithData[] = {{"ERRNO", kErrno}, {"TRAP", kTrap}, {"TRACE", kTrace}};
    if (t.kind == Token::Kind::Ident) {
      for (const Simple& s : kSimple)
        if (t.text == s.name) return s.action;
      for (const Simple& s : kWithData) {
        if (t.text != s.name) continue;
        if (!punct("(")) return fail(peek(), "expected `(' after " + t.text);
        const Token& at = peek();
        std::optional<uint64_t> v = value();
        if (!v) return std::nullopt;
        if (*v > 0xffff) return fail(at, t.text + " value " + std::to_string(*v) + " out of range (0-65535)");
        if (!punct(")")) return fail(peek(), "expected `)'");
        return s.action | static_cast<Action>(*v);
      }
    }
    return fail(t, "expected an action (ALLOW, LOG, KILL, KILL_PROCESS, USER_NOTIF, ERRNO(n), TRAP(n), TRACE(n))");
  }

  const std::string& text_;
  diag::Location where_;
  const Constants& constants_;
  diag::Sink& sink_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

std::string describe(const ExpectCase& c) {
  std::string s = c.abi == Abi::X86_64 ? "" : std::string(abi_info(c.abi).name) + " ";
  s += c.syscall;
  size_t last = 6;
  while (last > 0 && c.data.args[last - 1] == 0) --last;
  if (last > 0) {
    s += "(";
    for (size_t i = 0; i < last; ++i) s += (i ? ", " : "") + std::to_string(c.data.args[i]);
    s += ")";
  }
  return s;
}

}  // namespace

std::optional<ExpectCase> parse_expect(const std::string& text, const diag::Location& where, const Constants& constants,
                                       diag::Sink& sink) {
  ExpectParser p(text, where, constants, sink);
  return p.parse();
}

bool check_expect(const Program& program, const ExpectCase& c, const diag::Location& where, diag::Sink& sink) {
  Action got = program.empty() ? kAllow : run(program, c.data).action;
  if (got == c.action) return true;
  sink.error(
      diag::Location{where.file, where.line, where.column + c.syscall_column, static_cast<uint32_t>(c.syscall.size())},
      "expect failed: " + describe(c) + " gets " + action_name(got) + ", not " + action_name(c.action));
  return false;
}

}  // namespace stockade::seccomp
