// SPDX-License-Identifier: Apache-2.0
#include "frontend/extends.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/suggest.h"

namespace stockade::frontend {

namespace {

bool same_template(const ir::Template& a, const ir::Template& b) {
  return a.SerializeAsString() == b.SerializeAsString();
}

template <typename Repeated>
void append(Repeated& to, const Repeated& from) {
  for (const auto& item : from) *to.Add() = item;
}

// The child's mounts on a target that the ancestors mount replace all of
// the ancestors' mounts there, at the first one's position, in the child's
// order. The unit is the group on one target, not a single mount: a body may
// hold an `if X` / `if !X` pair on one target (the path check allows it), in
// the child as in the parent, and both halves of a pair must survive or go.
using Mounts = google::protobuf::RepeatedPtrField<ir::Mount>;
void merge_mounts(Mounts& base, const Mounts& child) {
  std::vector<bool> taken(static_cast<size_t>(child.size()), false);
  Mounts out;
  for (int i = 0; i < base.size(); ++i) {
    const ir::Template& target = base.Get(i).target();
    bool replaced = false;
    for (int j = 0; j < child.size(); ++j) {
      if (!same_template(child.Get(j).target(), target)) continue;
      replaced = true;
      if (taken[static_cast<size_t>(j)]) continue;  // the group went in at an earlier parent mount
      taken[static_cast<size_t>(j)] = true;
      *out.Add() = child.Get(j);
    }
    if (!replaced) *out.Add() = base.Get(i);
  }
  for (int j = 0; j < child.size(); ++j)
    if (!taken[static_cast<size_t>(j)]) *out.Add() = child.Get(j);
  base.Swap(&out);
}

// What an expect line tests: its text before "->" with blanks collapsed
// ("clone(0x3d0f00)"), or after "drop " for a drop.
std::string expect_call(std::string_view text) {
  size_t arrow = text.find("->");
  std::string_view call = text.substr(0, arrow);
  std::string out;
  bool blank = false;
  for (char c : call) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

std::optional<std::string> dropped_call(std::string_view text) {
  if (text.substr(0, 5) != "drop " && text.substr(0, 5) != "drop\t") return std::nullopt;
  return expect_call(text.substr(5));
}

}  // namespace

void override_expects(ir::PolicyIr& base, LoweredBody& child, diag::Sink& sink) {
  using Expects = google::protobuf::RepeatedPtrField<ir::Expect>;
  Expects& inherited = *base.mutable_seccomp()->mutable_expects();
  Expects kept_own;
  for (const ir::Expect& e : child.ir.seccomp().expects()) {
    std::optional<std::string> drop = dropped_call(e.text());
    std::string call = drop ? *drop : expect_call(e.text());
    Expects rest;
    std::vector<std::string> calls;
    for (const ir::Expect& old : inherited) {
      if (expect_call(old.text()) == call) continue;
      calls.push_back(expect_call(old.text()));
      *rest.Add() = old;
    }
    bool matched = rest.size() != inherited.size();
    inherited.Swap(&rest);
    if (!drop) {
      *kept_own.Add() = e;
    } else if (!matched) {
      diag::Location at{e.location().file(), e.location().line(), e.location().column(),
                        static_cast<uint32_t>(e.text().size())};
      sink.error(at,
                 "expect drop: policy '" + e.policy() + "' inherits no expect on '" + call + "'" +
                     (base.name().empty() ? std::string(" (it extends nothing)") : diag::did_you_mean(call, calls)));
    }
  }
  child.ir.mutable_seccomp()->mutable_expects()->Swap(&kept_own);
}

void merge_child(ir::PolicyIr& base, const LoweredBody& child) {
  const ir::PolicyIr& c = child.ir;
  // The child's table starts with the parent's params at the same indices.
  *base.mutable_params() = c.params();
  append(*base.mutable_hostname(), c.hostname());
  append(*base.mutable_cwd(), c.cwd());
  append(*base.mutable_time_limit_ms(), c.time_limit_ms());
  append(*base.mutable_namespaces(), c.namespaces());
  append(*base.mutable_network(), c.network());
  append(*base.mutable_uid_map(), c.uid_map());
  append(*base.mutable_gid_map(), c.gid_map());
  append(*base.mutable_rlimits(), c.rlimits());
  append(*base.mutable_cgroup(), c.cgroup());
  append(*base.mutable_env(), c.env());
  merge_mounts(*base.mutable_mounts(), c.mounts());
  for (uint32_t cap : c.keep_caps()) {
    bool present = false;
    for (uint32_t have : base.keep_caps()) present = present || have == cap;
    if (!present) base.add_keep_caps(cap);
  }
  for (uint32_t fd : c.pass_fds()) {
    bool present = false;
    for (uint32_t have : base.pass_fds()) present = present || have == fd;
    if (!present) base.add_pass_fds(fd);
  }
  if (child.allow_new_privs) base.set_allow_new_privs(*child.allow_new_privs);
  if (child.session) base.set_session(*child.session);
  ir::Seccomp* seccomp = base.mutable_seccomp();
  if (child.seccomp) {
    seccomp->clear_fragments();
    *seccomp->add_fragments() = *child.seccomp;
  }
  append(*seccomp->mutable_expects(), c.seccomp().expects());
}

ir::PolicyIr resolve_policy(const Scope& scope, const PolicyInfo& info, diag::Sink& sink) {
  ir::PolicyIr out;
  // Cycles were cut by the name check, so this recursion ends.
  if (info.parent) out = resolve_policy(scope, *scope.find(info.parent->name.text), sink);
  LoweredBody body = lower_body(info, sink);
  override_expects(out, body, sink);
  merge_child(out, body);
  out.set_name(info.policy->name.text);
  *out.mutable_location() = to_ir(info.policy->loc);
  out.set_parent(info.parent ? info.parent->name.text : "");
  return out;
}

}  // namespace stockade::frontend
