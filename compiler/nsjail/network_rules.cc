// SPDX-License-Identifier: Apache-2.0
// nsjail's traffic_rule (field 96) and user_net (field 97). nsjail puts the
// jail in a network namespace of its own and reaches out through a
// user-mode stack (user_net) filtered by its rules, with routing-policy
// rules (traffic_rule) inside; Stockade's `network filtered` shares the
// host's namespace and judges each connect and send by rules. What carries
// over: outbound allow/deny by destination, protocol (TCP, UDP) and port,
// first match wins, no match allowed (so the translation ends in `allow
// any`). What does not is reported field by field.
#include <string>
#include <vector>

#include "egress/endpoint.h"  // runtime/egress: the launcher's address format
#include "translation.h"

namespace stockade::nsjail {
namespace {

struct Port {
  bool has_start;
  uint32_t start;
  bool has_end;
  uint32_t end;
};

// " port P" / " port P-Q" / "": the destination port part of a rule.
std::string port_text(Translation& t, const std::string& key, Port p, bool* ok) {
  if (!p.has_start && !p.has_end) return "";
  uint32_t lo = p.has_start ? p.start : 0, hi = p.has_end ? p.end : lo;
  t.done(key + "dport");
  t.done(key + "dport_end");
  if (lo > 65535 || hi > 65535 || hi < lo) {
    t.unsupported(key + (p.has_end ? "dport_end" : "dport"), "not a port range 0..65535; the rule is left out");
    *ok = false;
    return "";
  }
  return lo == hi ? " port " + std::to_string(lo) : " port " + std::to_string(lo) + "-" + std::to_string(hi);
}

std::string destination(Translation& t, const std::string& key, bool has, const std::string& ip, bool v6, bool* ok) {
  if (!has) return v6 ? "::/0" : "0.0.0.0/0";
  t.done(key + "dst_ip");
  egress::Endpoint e;
  if (const char* why = egress::parse_endpoint(ip, e); why != nullptr || e.has_port) {
    t.unsupported(key + "dst_ip", std::string("'") + ip + "' is not an address or prefix (" +
                                      (why ? why : "it has a port") + "); the rule is left out");
    *ok = false;
  }
  return ip;
}

// A condition the filter cannot judge (it sees the destination only):
// without it the rule matches more than nsjail's, which a deny may (it
// denies more) and an allow may not (it is left out).
void source_only(Translation& t, const std::string& key, const char* field, bool set, bool deny, bool* ok) {
  if (!set) return;
  t.unsupported(key + field, deny ? "the filter judges destinations only; the deny holds for every source"
                                  : "the filter judges destinations only; the allow is left out");
  if (!deny) *ok = false;
}

void traffic_rules(Translation& t, std::vector<std::string>& out) {
  using R = schema::TrafficRule;
  const auto& c = t.cfg.config;
  for (int i = 0; i < c.traffic_rule_size(); ++i) {
    const R& r = c.traffic_rule(i);
    std::string key = "traffic_rule[" + std::to_string(i) + "].";
    bool ok = true;
    t.done(key + "action");
    t.done(key + "ip_family");
    t.done(key + "proto");
    const char* verb = r.action() == R::ALLOW ? "allow" : r.action() == R::UNKNOWN_ACTION ? nullptr : "deny";
    bool deny = r.action() != R::ALLOW;
    if (verb == nullptr) t.unsupported(key + "action", "UNKNOWN_ACTION; the rule is left out"), ok = false;
    // REJECT and DROP alike: the call fails with EPERM.
    const char* proto = r.proto() == R::TCP ? " tcp" : r.proto() == R::UDP ? " udp" : "";
    if (r.proto() == R::ICMP || r.proto() == R::ICMPV6)
      t.unsupported(key + "proto", "a filtered job cannot make ICMP sockets at all; the rule is left out"), ok = false;
    source_only(t, key, "src_ip", r.has_src_ip(), deny, &ok);
    source_only(t, key, "iif", r.has_iif(), deny, &ok);
    source_only(t, key, "oif", r.has_oif(), deny, &ok);
    source_only(t, key, "sport", r.has_sport(), deny, &ok);
    source_only(t, key, "sport_end", r.has_sport_end(), deny, &ok);
    std::string dst = destination(t, key, r.has_dst_ip(), r.dst_ip(), r.ip_family() == R::IPV6, &ok);
    std::string ports = port_text(t, key, {r.has_dport(), r.dport(), r.has_dport_end(), r.dport_end()}, &ok);
    if (ok) out.push_back(std::string(verb) + proto + " " + dst + ports);
  }
}

void user_net_rules(Translation& t, const char* list,
                    const google::protobuf::RepeatedPtrField<schema::UserNet::Rule>& rules, bool v6,
                    std::vector<std::string>& out) {
  using R = schema::UserNet::Rule;
  for (int i = 0; i < rules.size(); ++i) {
    const R& r = rules.Get(i);
    std::string key = std::string("user_net.") + list + "[" + std::to_string(i) + "].";
    bool ok = true;
    t.done(key + "direction");
    t.done(key + "action");
    t.done(key + "proto");
    bool deny = r.action() == R::DROP || r.action() == R::REJECT;
    if (r.direction() == R::HOST_TO_GUEST) {
      t.unsupported(key + "direction", "HOST_TO_GUEST: the filter judges outbound traffic only; the rule is left out");
      ok = false;
    }
    if (r.action() == R::REDIRECT || r.action() == R::ENCAP_SOCKS5 || r.action() == R::ENCAP_CONNECT) {
      t.unsupported(key + "action", "the filter allows or denies; it cannot redirect or tunnel; the rule is left out");
      ok = false;
    }
    if (r.has_redirect_ip()) t.unsupported(key + "redirect_ip", "no redirection");
    if (r.has_redirect_port()) t.unsupported(key + "redirect_port", "no redirection");
    if (r.proto() == R::ICMP)
      t.unsupported(key + "proto", "a filtered job cannot make ICMP sockets at all; the rule is left out"), ok = false;
    source_only(t, key, "src_ip", r.has_src_ip(), deny, &ok);
    source_only(t, key, "sport", r.has_sport(), deny, &ok);
    source_only(t, key, "sport_end", r.has_sport_end(), deny, &ok);
    std::string dst = destination(t, key, r.has_dst_ip(), r.dst_ip(), v6, &ok);
    std::string ports = port_text(t, key, {r.has_dport(), r.dport(), r.has_dport_end(), r.dport_end()}, &ok);
    const char* proto = r.proto() == R::TCP ? " tcp" : r.proto() == R::UDP ? " udp" : "";
    if (ok) out.push_back(std::string(r.action() == R::ALLOW ? "allow" : "deny") + proto + " " + dst + ports);
  }
}

// Every field of user_net but the rules: the user-mode stack itself.
void user_net_stack(Translation& t) {
  const schema::UserNet& u = t.cfg.config.user_net();
  const char* why = "no user-mode network stack: a filtered job uses the host's own addresses and routes";
  if (u.has_backend()) t.unsupported("user_net.backend", why);
  for (const char* f : {"ip4", "gw4", "ip6", "gw6", "ns_iface"}) {
    const auto* d = u.GetDescriptor()->FindFieldByName(f);
    if (u.GetReflection()->HasField(u, d)) t.unsupported(std::string("user_net.") + f, why);
  }
  if (!u.has_pasta()) return;
  const auto& p = u.pasta();
  std::vector<const google::protobuf::FieldDescriptor*> set;
  p.GetReflection()->ListFields(p, &set);
  for (const auto* d : set)
    t.unsupported("user_net.pasta." + d->name(), "no pasta: the filter works in the host's network namespace");
}

// Every field set below `msg`, as reported with it (one warning for the whole).
void handled_below(Translation& t, const google::protobuf::Message& msg, const std::string& prefix) {
  const auto* r = msg.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const auto* f : fields) {
    int n = f->is_repeated() ? r->FieldSize(msg, f) : 1;
    for (int i = 0; i < n; ++i) {
      std::string key = prefix + f->name();
      if (f->is_repeated()) key.append("[").append(std::to_string(i)).append("]");
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE)
        handled_below(t, f->is_repeated() ? r->GetRepeatedMessage(msg, f, i) : r->GetMessage(msg, f), key + ".");
      else t.done(key);
    }
  }
}

}  // namespace

void translate_network_rules(Translation& t) {
  const auto& c = t.cfg.config;
  if (c.traffic_rule_size() == 0 && !c.has_user_net()) return;
  bool own_ns = !c.has_clone_newnet() || c.clone_newnet();
  bool placeholder = t.cfg.bool_placeholder("clone_newnet") != nullptr;
  if (!own_ns || placeholder || !c.has_user_net()) {
    // Without a namespace of its own nsjail applies neither; without
    // user_net the jail reaches nothing past its own loopback, so the rules
    // change nothing Stockade's modes express.
    std::string why = placeholder ? "clone_newnet comes from a placeholder; translate the rules by hand"
                      : !own_ns   ? "it has no effect with clone_newnet: false"
                                  : "without user_net the jail reaches only its own loopback; nothing to filter";
    for (int i = 0; i < c.traffic_rule_size(); ++i) {
      std::string key = "traffic_rule[" + std::to_string(i) + "]";
      t.unsupported(key, why);
      handled_below(t, c.traffic_rule(i), key + ".");
    }
    if (c.has_user_net()) {
      t.unsupported("user_net", why);
      handled_below(t, c.user_net(), "user_net.");
    }
    return;
  }
  std::vector<std::string> rules;
  traffic_rules(t, rules);
  user_net_rules(t, "rule4", c.user_net().rule4(), false, rules);
  user_net_rules(t, "rule6", c.user_net().rule6(), true, rules);
  user_net_stack(t);
  rules.push_back("allow any");  // nsjail's answer when no rule matches
  std::string text = "network filtered {";
  for (const std::string& r : rules) text += "\n    " + r;
  text += "\n  }";
  t.draft.settings.push_back(
      {text, "nsjail: traffic_rule and user_net; here the host's namespace under the same rules", 0, {}, false});
}

}  // namespace stockade::nsjail
