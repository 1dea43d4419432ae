// SPDX-License-Identifier: Apache-2.0
#include "resolve.h"

#include <map>
#include <optional>
#include <unordered_set>

#include "bpf.h"
#include "diag/suggest.h"
#include "syscall_args.h"

namespace stockade::seccomp {

std::string action_name(Action a) {
  uint32_t data = a & SECCOMP_RET_DATA;
  switch (a & SECCOMP_RET_ACTION_FULL) {
    case kKillThread: return "KILL";
    case kKillProcess: return "KILL_PROCESS";
    case kTrap: return "TRAP(" + std::to_string(data) + ")";
    case kErrno: return "ERRNO(" + std::to_string(data) + ")";
    case kUserNotif: return "USER_NOTIF";
    case kTrace: return "TRACE(" + std::to_string(data) + ")";
    case kLog: return "LOG";
    case kAllow: return "ALLOW";
    default: return "RET(" + std::to_string(a) + ")";
  }
}

const uint64_t* Constants::find(const std::string& name) const {
  for (const auto& [n, v] : items)
    if (n == name) return &v;
  return nullptr;
}

namespace {

// Scratch words one side of a comparison may use: two sides and the word
// that holds one of them while the other is computed stay within the 16.
constexpr uint32_t kScratchWordsPerSide = 7;

struct ArgName {
  std::string name;
  uint8_t width;
};

// The argument names visible inside one filter's condition.
struct ArgScope {
  std::string syscall;
  bool known = false;  // false: no table entry and nothing declared
  std::vector<ArgName> args;
  // Kafel's names where they differ from the kernel's: name, width, position.
  struct Alias {
    std::string name;
    uint8_t width;
    uint32_t index;
  };
  std::vector<Alias> aliases;
};

// "; did you mean 'flags'?" for a misspelt argument name.
std::string arg_hint(const std::string& ident, const ArgScope& scope) {
  std::vector<std::string> names;
  for (const ArgName& a : scope.args) names.emplace_back(a.name);
  for (const ArgScope::Alias& a : scope.aliases) names.emplace_back(a.name);
  return diag::did_you_mean(ident, names);
}

bool compare(ast::CmpOp op, uint64_t a, uint64_t b) {
  switch (op) {
    case ast::CmpOp::Eq: return a == b;
    case ast::CmpOp::Ne: return a != b;
    case ast::CmpOp::Lt: return a < b;
    case ast::CmpOp::Le: return a <= b;
    case ast::CmpOp::Gt: return a > b;
    case ast::CmpOp::Ge: return a >= b;
  }
  return false;
}

class Resolver {
 public:
  Resolver(Abi native, RuleSet& out, Constants& constants, diag::Sink& sink)
      : native_(native), out_(out), consts_(constants), sink_(sink) {
    top_.rules = &out_.rules;
  }

  bool run(const std::vector<ast::Unit>& units) {
    for (const ast::Unit& unit : units) {
      unit_ = &unit;
      for (const ast::Statement& s : unit.statements) statement(s);
    }
    return ok_;
  }

 private:
  void error(const ast::Loc& at, const std::string& message) {
    ok_ = false;
    sink_.error(diag::Location{unit_->file_of(at), at.line, at.column, at.length()}, message);
  }

  void statement(const ast::Statement& s) {
    switch (s.kind) {
      case ast::Statement::Kind::Define: {
        std::optional<uint64_t> v = constant(*s.value);
        if (!v) return;
        // As in Kafel, repeating a definition with the same value is
        // accepted, so a policy may restate a constant a shared block made.
        if (const uint64_t* old = consts_.find(s.name)) {
          if (*old != *v) error(s.loc, "redefinition of constant `" + s.name + "' with a different value");
          return;
        }
        consts_.items.emplace_back(s.name, *v);
        return;
      }
      case ast::Statement::Kind::Policy: {
        if (policies_.count(s.policy.name)) {
          error(s.policy.loc, "redefinition of policy `" + s.policy.name + "'");
          return;
        }
        RuleList list;
        for (const ast::Entry& e : s.policy.entries) entry(e, list);
        policies_[s.policy.name] = std::move(list);
        return;
      }
      case ast::Statement::Kind::Entry: entry(s.entry, top_); return;
      case ast::Statement::Kind::Default: {
        if (out_.has_default) {
          error(s.loc, "DEFAULT given twice (first at line " + std::to_string(out_.default_loc.line) + ")");
          return;
        }
        std::optional<Action> a = action(s.action);
        if (!a) return;
        out_.has_default = true;
        out_.default_action = *a;
        out_.default_loc = s.loc;
        return;
      }
      case ast::Statement::Kind::Abi: {
        std::optional<Abi> abi = abi_from_name(s.name);
        bool foreign = native_ == Abi::X86_64 && abi && (*abi == Abi::X32 || *abi == Abi::I386);
        if (!foreign) {
          error(s.loc, "unknown foreign ABI `" + s.name + "' (expected x32 or i386)");
          return;
        }
        out_.foreign_abis.insert(*abi);
        return;
      }
    }
  }

  // The rules of one policy (or of the top level) and the filters they
  // came from. First match wins, so a second copy of a rule (a policy USEd
  // twice, directly or through others) can never match: it is not pasted
  // again. That keeps every list at most as long as the text has filters,
  // so USE chains expand linearly (Kafel's own expansion is not
  // exponential either).
  struct RuleList {
    std::vector<Rule>* rules = nullptr;  // null: `own`
    std::vector<Rule> own;
    std::unordered_set<uint32_t> origins;
    std::vector<Rule>& get() { return rules ? *rules : own; }
    void add(Rule r) {
      if (origins.insert(r.origin).second) get().push_back(std::move(r));
    }
  };

  void entry(const ast::Entry& e, RuleList& into) {
    if (e.is_use) {
      auto it = policies_.find(e.use_name);
      if (it == policies_.end()) {
        error(e.loc, "undefined policy `" + e.use_name + "'");
        return;
      }
      for (const Rule& r : it->second.get()) into.add(r);
      return;
    }
    std::optional<Action> a = action(e.action);
    if (!a) return;
    for (const ast::Filter& f : e.filters) filter(f, *a, into);
  }

  std::optional<Action> action(const ast::Action& a) {
    auto with_data = [&](Action base, const char* what) -> std::optional<Action> {
      std::optional<uint64_t> v = constant(*a.value);
      if (!v) return std::nullopt;
      if (*v > 0xffff) {
        error(a.value->loc, std::string(what) + " value " + std::to_string(*v) + " out of range (0-65535)");
        return std::nullopt;
      }
      return base | static_cast<Action>(*v);
    };
    switch (a.kind) {
      case ast::Action::Kind::Allow: return kAllow;
      case ast::Action::Kind::Log: return kLog;
      case ast::Action::Kind::Kill:
      case ast::Action::Kind::KillThread:
      case ast::Action::Kind::Deny: return kKillThread;
      case ast::Action::Kind::KillProcess: return kKillProcess;
      case ast::Action::Kind::UserNotif: return kUserNotif;
      case ast::Action::Kind::Errno: return with_data(kErrno, "ERRNO");
      case ast::Action::Kind::Trap: return with_data(kTrap, "TRAP");
      case ast::Action::Kind::Trace: return with_data(kTrace, "TRACE");
    }
    return std::nullopt;
  }

  void filter(const ast::Filter& f, Action a, RuleList& into) {
    const ast::SyscallRef& s = f.syscall;
    Rule rule;
    rule.origin = next_origin_++;
    rule.action = a;
    rule.file = unit_->file_of(s.loc);
    rule.loc = s.loc;
    ArgScope scope;
    const uint64_t* custom = s.by_number ? nullptr : consts_.find(s.name);
    if (s.by_number || custom) {
      uint64_t nr = 0;
      if (custom) {
        nr = *custom;
      } else {
        std::optional<uint64_t> v = constant(*s.number);
        if (!v) return;
        nr = *v;
      }
      // On x86-64 every number at or above the x32 bit is decided by the
      // foreign-ABI check before any rule is consulted (see README).
      uint64_t limit = native_ == Abi::X86_64 ? kX32Bit : (uint64_t{1} << 32);
      if (nr >= limit) {
        error(s.loc, "syscall number " + std::to_string(nr) + " is out of range (0-" + std::to_string(limit - 1) +
                         "); numbers with the x32 bit are decided by the foreign-ABI check");
        return;
      }
      rule.by_number = true;
      rule.number = static_cast<uint32_t>(nr);
      scope.syscall = "SYSCALL[" + std::to_string(nr) + "]";
    } else {
      rule.syscall = canonical_name(s.name);
      if (rule.syscall.empty()) {
        error(s.loc, "unknown syscall `" + s.name + "'" + diag::did_you_mean(s.name, syscall_names(Abi::X86_64)));
        return;
      }
      scope.syscall = s.name;
      if (const std::vector<ArgSpec>* known = syscall_args(rule.syscall)) {
        scope.known = true;
        for (const ArgSpec& spec : *known) scope.args.push_back({spec.name, spec.width});
      }
      // Kafel's own names, at Kafel's widths; a name that is the kernel's at
      // the same position takes Kafel's width.
      for (const KafelArgName& k : kafel_arg_names(rule.syscall)) {
        scope.known = true;
        if (k.index < scope.args.size() && scope.args[k.index].name == k.name) scope.args[k.index].width = k.width;
        else scope.aliases.push_back({k.name, k.width, k.index});
      }
    }
    if (s.declares_args) {
      if (s.args.size() > 6) {
        error(s.args[6].loc, "too many arguments declared for `" + scope.syscall + "' (at most 6)");
        return;
      }
      std::vector<ArgName> declared;
      for (size_t i = 0; i < s.args.size(); ++i) {
        for (const ArgName& d : declared)
          if (d.name == s.args[i].name) {
            error(s.args[i].loc, "redefinition of argument `" + s.args[i].name + "'");
            return;
          }
        // Kafel gives declared names 64 bits, whatever the kernel's type.
        declared.push_back({s.args[i].name, 8});
      }
      scope.args = std::move(declared);
      scope.aliases.clear();
      scope.known = true;
    }
    if (f.condition) {
      rule.cond = cond(*f.condition, scope);
      if (!rule.cond) return;
    }
    into.add(std::move(rule));
  }

  // A value that must be a constant (defines, SYSCALL[n], action data).
  std::optional<uint64_t> constant(const ast::Value& v) {
    switch (v.kind) {
      case ast::Value::Kind::Number: return v.number;
      case ast::Value::Kind::Ident: {
        if (const uint64_t* c = consts_.find(v.ident)) return *c;
        error(v.loc, "undefined constant `" + v.ident + "'");
        return std::nullopt;
      }
      case ast::Value::Kind::BitAnd:
      case ast::Value::Kind::BitOr: {
        std::optional<uint64_t> l = constant(*v.left);
        std::optional<uint64_t> r = constant(*v.right);
        if (!l || !r) return std::nullopt;
        return v.kind == ast::Value::Kind::BitAnd ? (*l & *r) : (*l | *r);
      }
    }
    return std::nullopt;
  }

  // A value inside a condition, as a bitwise tree simplified the way Kafel
  // simplifies it (the simplification decides the comparison's width).
  BitPtr bits(const ast::Value& v, const ArgScope& scope) {
    switch (v.kind) {
      case ast::Value::Kind::Number: return bit_const(v.number);
      case ast::Value::Kind::Ident: {
        // Kafel looks constants up before argument names.
        if (const uint64_t* c = consts_.find(v.ident)) return bit_const(*c);
        for (size_t i = 0; i < scope.args.size(); ++i)
          if (scope.args[i].name == v.ident) return bit_arg(static_cast<uint32_t>(i), scope.args[i].width, v.ident);
        for (const ArgScope::Alias& a : scope.aliases)
          if (a.name == v.ident) return bit_arg(a.index, a.width, v.ident);
        if (!scope.known)
          error(v.loc, "undefined argument `" + v.ident + "': `" + scope.syscall +
                           "' has no known argument names; declare them, e.g. " + scope.syscall + "(a, b) { a == 1 }");
        else
          error(v.loc, "undefined argument `" + v.ident + "' for `" + scope.syscall + "'" + arg_hint(v.ident, scope));
        return nullptr;
      }
      case ast::Value::Kind::BitAnd:
      case ast::Value::Kind::BitOr: {
        BitPtr l = bits(*v.left, scope);
        BitPtr r = bits(*v.right, scope);
        if (!l || !r) return nullptr;
        return bit_combine(v.kind == ast::Value::Kind::BitAnd ? BitExpr::Kind::And : BitExpr::Kind::Or, l, r);
      }
    }
    return nullptr;
  }

  // The Operand for a tree: a constant, an argument under constant masks
  // (the form the lowering handles best), or the tree itself.
  static Operand operand_of(const BitPtr& e) {
    Operand o;
    if (e->kind == BitExpr::Kind::Const) {
      o.value = e->value;
      return o;
    }
    o.is_arg = true;
    const BitExpr* at = e.get();
    uint64_t mask = ~uint64_t{0};
    bool wide = false;
    while (at->kind == BitExpr::Kind::And && at->right->kind == BitExpr::Kind::Const) {
      mask &= at->right->value;
      wide = wide || at->right->value > 0xffffffffu;
      at = at->left.get();
    }
    if (at->kind != BitExpr::Kind::Arg) {
      o.expr = e;
      return o;
    }
    o.arg = at->arg;
    o.width = at->width;
    o.name = at->name;
    o.mask = mask;
    o.wide_constant = wide;
    return o;
  }

  std::optional<Operand> operand(const ast::Value& v, const ArgScope& scope) {
    BitPtr e = bits(v, scope);
    if (!e) return std::nullopt;
    Operand o = operand_of(e);
    if (o.expr && bit_scratch_words(*o.expr) > kScratchWordsPerSide) {
      error(v.loc, "bitwise expression too complex: it needs more than " + std::to_string(kScratchWordsPerSide) +
                       " of the filter's 16 scratch words");
      return std::nullopt;
    }
    return o;
  }

  CondPtr cond(const ast::Bool& b, const ArgScope& scope) {
    auto c = std::make_shared<Cond>();
    switch (b.kind) {
      case ast::Bool::Kind::And:
      case ast::Bool::Kind::Or: {
        CondPtr l = cond(*b.left, scope);
        CondPtr r = cond(*b.right, scope);
        if (!l || !r) return nullptr;
        c->kind = b.kind == ast::Bool::Kind::And ? Cond::Kind::And : Cond::Kind::Or;
        c->left = l;
        c->right = r;
        return c;
      }
      case ast::Bool::Kind::Not: {
        CondPtr inner = cond(*b.left, scope);
        if (!inner) return nullptr;
        c->kind = Cond::Kind::Not;
        c->left = inner;
        return c;
      }
      case ast::Bool::Kind::Cmp: {
        std::optional<Operand> l = operand(*b.lhs, scope);
        std::optional<Operand> r = operand(*b.rhs, scope);
        if (!l || !r) return nullptr;
        if (!l->is_arg && !r->is_arg) {
          c->kind = compare(b.op, l->value, r->value) ? Cond::Kind::True : Cond::Kind::False;
          return c;
        }
        // Kafel: an argument compared with itself is decided at compile time.
        if (!l->expr && !r->expr && l->is_arg && r->is_arg && l->arg == r->arg && l->mask == ~uint64_t{0} &&
            r->mask == ~uint64_t{0}) {
          bool equal_holds = b.op == ast::CmpOp::Eq || b.op == ast::CmpOp::Le || b.op == ast::CmpOp::Ge;
          c->kind = equal_holds ? Cond::Kind::True : Cond::Kind::False;
          return c;
        }
        c->kind = Cond::Kind::Cmp;
        c->op = b.op;
        if (!l->is_arg) {  // keep the argument on the left
          std::swap(*l, *r);
          c->op = ast::mirror(b.op);
        }
        c->lhs = *l;
        c->rhs = *r;
        return c;
      }
    }
    return nullptr;
  }

  Abi native_;
  RuleSet& out_;
  Constants& consts_;
  diag::Sink& sink_;
  const ast::Unit* unit_ = nullptr;
  std::map<std::string, RuleList> policies_;
  RuleList top_;  // out_.rules
  uint32_t next_origin_ = 0;
  bool ok_ = true;
};

}  // namespace

bool resolve(const std::vector<ast::Unit>& units, Abi native, RuleSet& out, Constants& constants, diag::Sink& sink) {
  Resolver r(native, out, constants, sink);
  return r.run(units);
}

}  // namespace stockade::seccomp
