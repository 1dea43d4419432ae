// SPDX-License-Identifier: Apache-2.0
#include "egress/rules.h"

#include "egress/endpoint.h"  // runtime/egress: the format the launcher checks params with

namespace stockade::egress {
namespace {

namespace ast = frontend::ast;

struct Word {
  std::string text;
  diag::Location loc;
};

// Words separated by blanks, `;` and `#` comments; `->` is a word of its own.
std::vector<Word> words(const ast::FilterBlock& block) {
  std::vector<Word> out;
  diag::Location at = block.body;
  const std::string& s = block.text;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '#') {
      while (i < s.size() && s[i] != '\n') ++i, ++at.column;
      continue;
    }
    if (c == '\n') {
      ++i;
      ++at.line;
      at.column = 1;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == ';') {
      ++i;
      ++at.column;
      continue;
    }
    Word w;
    w.loc = at;
    if (s.compare(i, 2, "->") == 0) {
      w.text = "->";
    } else {
      size_t end = i;
      while (end < s.size() && std::string(" \t\r\n;#").find(s[end]) == std::string::npos &&
             s.compare(end, 2, "->") != 0)
        ++end;
      w.text = s.substr(i, end - i);
    }
    w.loc.length = static_cast<uint32_t>(w.text.size());
    at.column += w.loc.length;
    i += w.text.size();
    out.push_back(std::move(w));
  }
  return out;
}

ir::Cidr cidr(const Endpoint& e) {
  ir::Cidr c;
  c.set_family(e.family);
  for (unsigned w = 0; w < (e.family == 4 ? 1u : 4u); ++w) c.add_words(e.addr[w]);
  c.set_prefix(e.prefix);
  return c;
}

class Reader {
 public:
  Reader(std::vector<Word> w, const ParamResolver& params, diag::Sink& sink)
      : w_(std::move(w)), params_(params), sink_(sink) {}

  Parsed run() {
    while (i_ < w_.size()) {
      const Word& head = w_[i_];
      size_t before = sink_.error_count();
      if (head.text == "allow" || head.text == "deny") rule();
      else if (head.text == "expect") expect();
      else sink_.error(head.loc, "'" + head.text + "' in a filtered block: a rule starts with allow, deny or expect");
      if (sink_.error_count() != before) skip_to_next_statement();
    }
    return std::move(out_);
  }

 private:
  bool at_end() const { return i_ >= w_.size(); }
  bool is(const char* t) const { return !at_end() && w_[i_].text == t; }
  bool starts_statement() const { return is("allow") || is("deny") || is("expect"); }
  void skip_to_next_statement() {
    if (!at_end()) ++i_;
    while (!at_end() && !starts_statement()) ++i_;
  }
  diag::Location end_loc() const {
    diag::Location l = w_.back().loc;
    l.column += l.length;
    l.length = 1;
    return l;
  }
  const diag::Location& here() const { return at_end() ? last_ : w_[i_].loc; }
  bool missing(const std::string& what) {
    if (!at_end() && !starts_statement()) return false;
    sink_.error(at_end() ? end_loc() : w_[i_].loc, "expected " + what);
    return true;
  }

  ir::EgressProto proto() {
    if (is("tcp")) return ++i_, ir::EGRESS_TCP;
    if (is("udp")) return ++i_, ir::EGRESS_UDP;
    return ir::EGRESS_ANY_PROTO;
  }

  bool ports(const Word& w, ir::EgressRule& r) {
    Endpoint e;
    // The port syntax of an endpoint, read by the same code: "0.0.0.0/0:" + ports.
    if (parse_endpoint("0.0.0.0/0:" + w.text, e) != nullptr) {
      sink_.error(w.loc, "'" + w.text + "' is not a port or a port range LO-HI (0..65535)");
      return false;
    }
    r.set_has_ports(true);
    r.set_port_lo(e.port_lo);
    r.set_port_hi(e.port_hi);
    return true;
  }

  void rule() {
    ir::EgressRule r;
    r.set_action(w_[i_].text == "allow" ? ir::EGRESS_ALLOW : ir::EGRESS_DENY);
    diag::Location start = w_[i_].loc;
    r.mutable_location()->set_file(start.file);
    r.mutable_location()->set_line(start.line);
    r.mutable_location()->set_column(start.column);
    ++i_;
    r.set_proto(proto());
    if (missing("a destination: any, internet, an address or prefix, or ${PARAM}")) return;
    const Word& t = w_[i_++];
    bool port_in_target = false;
    if (t.text == "any") {
      r.set_target(ir::TARGET_ANY);
    } else if (t.text == "internet") {
      r.set_target(ir::TARGET_INTERNET);
    } else if (t.text.size() > 3 && t.text.compare(0, 2, "${") == 0 && t.text.back() == '}') {
      std::optional<uint32_t> p = params_(t.text.substr(2, t.text.size() - 3), t.loc);
      if (!p) return;
      r.set_target(ir::TARGET_PARAM);
      r.set_param(*p);
    } else {
      Endpoint e;
      if (const char* why = parse_endpoint(t.text, e)) {
        sink_.error(t.loc,
                    "'" + t.text + "' is not a destination (any, internet, ADDR[/PREFIX][:PORT], ${PARAM}): " + why);
        return;
      }
      r.set_target(ir::TARGET_CIDR);
      *r.mutable_cidr() = cidr(e);
      if (e.has_port) {
        port_in_target = true;
        r.set_has_ports(true);
        r.set_port_lo(e.port_lo);
        r.set_port_hi(e.port_hi);
      }
    }
    if (is("port")) {
      const Word& kw = w_[i_++];
      if (port_in_target) {
        sink_.error(kw.loc, "the destination already has a port: give it once");
        return;
      }
      if (missing("a port or a port range after 'port'")) return;
      if (!ports(w_[i_++], r)) return;
    }
    if (!at_end() && !starts_statement()) {
      sink_.error(w_[i_].loc, "'" + w_[i_].text + "' after a rule: expected 'port', or the next allow, deny or expect");
      return;
    }
    out_.rules.push_back(std::move(r));
  }

  void expect() {
    ir::EgressExpect x;
    const Word& head = w_[i_++];
    x.mutable_location()->set_file(head.loc.file);
    x.mutable_location()->set_line(head.loc.line);
    x.mutable_location()->set_column(head.loc.column);
    if (!is("connect")) {
      sink_.error(here(), "expected 'connect' after expect in a filtered block");
      return;
    }
    ++i_;
    x.set_proto(proto());
    if (missing("ADDR:PORT after 'expect connect'")) return;
    const Word& a = w_[i_++];
    Endpoint e;
    const char* why = parse_endpoint(a.text, e);
    if (why == nullptr && (!e.has_port || e.port_lo != e.port_hi || e.prefix != (e.family == 4 ? 32 : 128)))
      why = "an expect names one address and one port";
    if (why != nullptr) {
      sink_.error(a.loc, "'" + a.text + "': " + why);
      return;
    }
    *x.mutable_address() = cidr(e);
    x.set_port(e.port_lo);
    if (!is("->")) {
      sink_.error(here(), "expected '->' and allow or deny");
      return;
    }
    ++i_;
    if (!is("allow") && !is("deny")) {
      sink_.error(at_end() ? end_loc() : w_[i_].loc, "expected allow or deny after '->'");
      return;
    }
    x.set_action(w_[i_].text == "allow" ? ir::EGRESS_ALLOW : ir::EGRESS_DENY);
    x.set_text("connect " +
               std::string(x.proto() == ir::EGRESS_TCP   ? "tcp "
                           : x.proto() == ir::EGRESS_UDP ? "udp "
                                                         : "") +
               a.text + " -> " + w_[i_].text);
    ++i_;
    out_.expects.push_back(std::move(x));
  }

  std::vector<Word> w_;
  size_t i_ = 0;
  diag::Location last_;
  const ParamResolver& params_;
  diag::Sink& sink_;
  Parsed out_;
};

}  // namespace

Parsed parse_rules(const ast::FilterBlock& block, const ParamResolver& params, diag::Sink& sink) {
  Reader r(words(block), params, sink);
  return r.run();
}

}  // namespace stockade::egress
