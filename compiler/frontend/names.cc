// SPDX-License-Identifier: Apache-2.0
#include "frontend/names.h"

#include <set>

#include "diag/suggest.h"
#include "frontend/keywords.h"
#include "frontend/refs.h"
#include "vocab/capabilities.h"

namespace stockade::frontend {

const ast::ParamDecl* PolicyInfo::param(const std::string& name) const {
  long i = param_index(name);
  return i < 0 ? nullptr : params[static_cast<size_t>(i)];
}

long PolicyInfo::param_index(const std::string& name) const {
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i]->name.text == name) return static_cast<long>(i);
  return -1;
}

std::optional<ParamType> PolicyInfo::type(const ast::ParamDecl& decl) const {
  auto it = param_types.find(&decl);
  if (it == param_types.end()) return std::nullopt;
  return it->second;
}

const PolicyInfo* Scope::find(const std::string& name) const {
  auto it = policies.find(name);
  return it == policies.end() ? nullptr : &it->second;
}

namespace {

const std::set<std::string> kNamespaces = {"user", "mount", "pid", "ipc", "uts", "net", "cgroup", "time"};

template <typename Table>
std::vector<std::string> spellings_of(const Table& table) {
  std::vector<std::string> out;
  for (const auto& [value, name] : table) out.emplace_back(name);
  return out;
}

std::vector<std::string> capability_names() {
  std::vector<std::string> out;
  for (const vocab::Capability& c : vocab::capabilities()) out.emplace_back(c.name);
  return out;
}

class NameChecker {
 public:
  NameChecker(const ast::Program& program, diag::Sink& sink, Scope& scope)
      : program_(program), sink_(sink), scope_(scope) {}

  void run() {
    collect_policies();
    link_parents();
    for (auto& [name, info] : scope_.policies) build_params(info);
    for (auto& [name, info] : scope_.policies) check_body(info);
  }

 private:
  void collect_policies() {
    for (size_t f = 0; f < program_.files.size(); ++f) {
      for (const ast::Policy& p : program_.files[f].policies) {
        auto [it, fresh] = scope_.policies.try_emplace(p.name.text);
        if (!fresh) {
          sink_.error(p.name.loc, "duplicate policy '" + p.name.text + "'");
          sink_.note(it->second.policy->name.loc, "first defined here");
          continue;
        }
        it->second.policy = &p;
        it->second.file = f;
      }
    }
  }

  void link_parents() {
    for (auto& [name, info] : scope_.policies) {
      const auto& parent = info.policy->parent;
      if (!parent) continue;
      const PolicyInfo* target = scope_.find(parent->text);
      if (!target) {
        std::vector<std::string> names;
        for (const auto& [other, other_info] : scope_.policies)
          if (other != name) names.push_back(other);
        sink_.error(parent->loc,
                    "unknown policy '" + parent->text + "' in extends" + diag::did_you_mean(parent->text, names));
        continue;
      }
      info.parent = target->policy;
    }
    // Cycles: follow each chain; a chain that comes back to its start is a
    // cycle, reported once, at the `extends` of the policy that is first in
    // source order. Links in a cycle are cut so later passes terminate.
    std::set<const ast::Policy*> reported;
    for (const ast::File& file : program_.files) {
      for (const ast::Policy& p : file.policies) {
        if (scope_.find(p.name.text)->policy != &p || reported.count(&p)) continue;
        std::vector<const ast::Policy*> chain = {&p};
        const ast::Policy* at = scope_.find(p.name.text)->parent;
        bool cycle = false;
        while (at) {
          if (at == &p) {
            cycle = true;
            break;
          }
          bool seen = false;
          for (const ast::Policy* c : chain) seen = seen || c == at;
          if (seen) break;  // a cycle further up, reported from its own members
          chain.push_back(at);
          at = scope_.find(at->name.text)->parent;
        }
        if (!cycle) continue;
        std::string text;
        for (const ast::Policy* c : chain) text += c->name.text + " -> ";
        text += p.name.text;
        sink_.error(p.parent->loc, "extends cycle: " + text);
        for (const ast::Policy* c : chain) reported.insert(c);
      }
    }
    for (auto& [name, info] : scope_.policies)
      if (reported.count(info.policy)) info.parent = nullptr;
  }

  void build_params(PolicyInfo& info) {
    if (!info.params.empty() || built_.count(info.policy)) return;
    built_.insert(info.policy);
    if (info.parent) {
      PolicyInfo& parent = scope_.policies.at(info.parent->name.text);
      build_params(parent);
      info.params = parent.params;
      info.param_types = parent.param_types;
    }
    size_t inherited = info.params.size();
    std::map<std::string, const ast::ParamDecl*> own;
    for (const ast::Stmt& s : info.policy->body) {
      const auto* decl = std::get_if<ast::ParamDecl>(&s.body);
      if (!decl) continue;
      // Unknown types are reported by the type pass, beside the other
      // declaration checks.
      if (std::optional<ParamType> type = keyword(kParamTypes, decl->type.text)) info.param_types[decl] = *type;
      auto [it, fresh] = own.try_emplace(decl->name.text, decl);
      if (!fresh) {
        sink_.error(decl->name.loc, "duplicate param '" + decl->name.text + "'");
        sink_.note(it->second->name.loc, "first declared here");
        continue;
      }
      long index = info.param_index(decl->name.text);
      if (index >= 0 && static_cast<size_t>(index) < inherited)
        info.params[static_cast<size_t>(index)] = decl;  // redeclared: new default, same slot
      else info.params.push_back(decl);
    }
  }

  void unknown(const ast::Name& name, const char* what, const std::vector<std::string>& names) {
    sink_.error(name.loc,
                std::string("unknown ") + what + " '" + name.text + "'" + diag::did_you_mean(name.text, names));
  }

  void known(const ast::Name& name, const std::set<std::string>& names, const char* what) {
    if (names.count(name.text) == 0) unknown(name, what, {names.begin(), names.end()});
  }

  static std::vector<std::string> param_names(const PolicyInfo& info) {
    std::vector<std::string> out;
    for (const ast::ParamDecl* d : info.params) out.push_back(d->name.text);
    return out;
  }

  void check_body(PolicyInfo& info) {
    for (const ast::Stmt& s : info.policy->body) {
      for_each_ref(s, [&](const Ref& ref) {
        if (!info.param(ref.name))
          sink_.error(ref.loc, "unknown param '" + ref.name + "'" + diag::did_you_mean(ref.name, param_names(info)));
      });
      if (const auto* ns = std::get_if<ast::NamespaceStmt>(&s.body)) {
        if (ns->ns.text == "net")
          sink_.error(ns->ns.loc, "the net namespace is chosen with 'network', not in 'namespaces'");
        else known(ns->ns, kNamespaces, "namespace");
      }
      if (const auto* rl = std::get_if<ast::RlimitStmt>(&s.body)) {
        if (!(rl->inherit && rl->resource.text == "all") && !known_rlimit(rl->resource.text))
          unknown(rl->resource, "rlimit", rlimit_names());
      }
      if (const auto* cg = std::get_if<ast::CgroupStmt>(&s.body); cg && !known_cgroup_limit(cg->limit.text))
        unknown(cg->limit, "cgroup limit", cgroup_limit_names());
      if (const auto* net = std::get_if<ast::NetworkStmt>(&s.body)) {
        if (std::optional<NetworkMode> mode = keyword(kNetworkModes, net->mode.text)) {
          info.network_modes[net] = *mode;
          if (*mode == NetworkMode::Filtered && !net->rules)
            sink_.error(net->mode.loc,
                        "'network filtered' takes its rules in braces: network filtered { allow internet }");
        } else {
          unknown(net->mode, "network mode", spellings_of(kNetworkModes));
        }
      }
      if (const auto* ses = std::get_if<ast::SessionStmt>(&s.body)) {
        if (std::optional<SessionMode> mode = keyword(kSessionModes, ses->mode.text)) info.session_modes[ses] = *mode;
        else unknown(ses->mode, "session mode", spellings_of(kSessionModes));
      }
      if (const auto* cap = std::get_if<ast::CapStmt>(&s.body)) {
        if (vocab::capability_number(cap->cap.text) < 0) unknown(cap->cap, "capability", capability_names());
      }
    }
  }

  const ast::Program& program_;
  diag::Sink& sink_;
  Scope& scope_;
  std::set<const ast::Policy*> built_;
};

}  // namespace

bool check_names(const ast::Program& program, diag::Sink& sink, Scope& out) {
  size_t errors_before = sink.error_count();
  NameChecker(program, sink, out).run();
  return sink.error_count() == errors_before;
}

}  // namespace stockade::frontend
