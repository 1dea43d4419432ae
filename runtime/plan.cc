// SPDX-License-Identifier: Apache-2.0
#include "plan.h"

#include <string.h>
#include <sys/resource.h>

namespace stockade {
namespace {

using namespace table;

bool applies(const When& when, const ParamValues& values) {
  for (const Cond& c : when) {
    const ParamValue& v = values.v[c.param];
    switch (c.kind) {
      case CondKind::IsTrue:
        if (!v.flag) return false;
        break;
      case CondKind::IsFalse:
        if (v.flag) return false;
        break;
      case CondKind::IsSet:
        if (!v.set) return false;
        break;
      case CondKind::IsUnset:
        if (v.set) return false;
        break;
    }
  }
  return true;
}

// Outcome of evaluating one template or number.
enum class Eval { Ok, Skip, TooBig };

// A template that names an unset optional param makes its statement not
// apply (language.md: "as if it had `if NAME`").
Eval expand(const Template& t, const ParamValues& values, Arena& arena, const char** out, size_t* out_len = nullptr) {
  size_t len = 0;
  for (const Segment& s : t) {
    const char* piece = s.param == kLiteral ? s.literal : values.v[s.param].text;
    if (s.param != kLiteral && !values.v[s.param].set) return Eval::Skip;
    len += cstr_len(piece);
  }
  char* buf = static_cast<char*>(arena.alloc(len + 1, 1));
  if (buf == nullptr) return Eval::TooBig;
  size_t at = 0;
  for (const Segment& s : t) {
    const char* piece = s.param == kLiteral ? s.literal : values.v[s.param].text;
    size_t n = cstr_len(piece);
    memcpy(buf + at, piece, n);
    at += n;
  }
  buf[at] = '\0';
  *out = buf;
  if (out_len != nullptr) *out_len = at;
  return Eval::Ok;
}

Eval number(const Number& n, const ParamValues& values, uint64_t* out) {
  if (n.infinity) {
    *out = RLIM_INFINITY;
    return Eval::Ok;
  }
  if (n.param == kLiteral) {
    *out = n.constant;
    return Eval::Ok;
  }
  const ParamValue& v = values.v[n.param];
  if (!v.set) return Eval::Skip;
  *out = v.number < 0 ? 0 : static_cast<uint64_t>(v.number);
  return Eval::Ok;
}

// The arena fills only with what the params resolve to: a param problem.
bool too_big(Failure& f, const char* what) {
  return fail_reason(f, Step::Param, what, "", "resolved values exceed the launcher's 16 MiB arena");
}

bool text_setting(const List<TextSetting>& list, const ParamValues& values, Arena& arena, const char** out,
                  const char* what, Failure& f) {
  for (const TextSetting& s : list) {
    if (!applies(s.when, values)) continue;
    const char* v = nullptr;
    Eval e = expand(s.value, values, arena, &v);
    if (e == Eval::TooBig) return too_big(f, what);
    if (e == Eval::Ok) *out = v;
  }
  return true;
}

bool resolve_ids(const List<IdMap>& list, const ParamValues& values, PlanIdMap* out, uint32_t* count, const char* what,
                 Failure& f) {
  *count = 0;
  for (const IdMap& m : list) {
    if (!applies(m.when, values)) continue;
    if (*count == kMaxIdMaps) return fail_reason(f, Step::Plan, what, "", "more than 8 lines apply");
    out[(*count)++] = {m.inside, m.outside, m.count};
  }
  if (*count == 0) out[(*count)++] = {0, 65534, 1};  // IR default
  return true;
}

bool is_below(std::string_view path, std::string_view dir) {  // strictly below
  if (dir == "/") return path.size() > 1;
  return path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/';
}

// A target a list element chose (its own path, or a volume's target) must
// not replace, cover or nest into what the policy itself mounts. `within`
// is the policy directory it was placed below, or nullptr (own-path binds):
// a policy mount that holds the whole of `within` (a tmpfs /tmp holding
// /tmp/volumes) is the expected parent, one inside it is not.
const char* element_target_problem(const Plan& plan, uint32_t policy_mounts, std::string_view target,
                                   const char* within) {
  if (target == "/") return "is the sandbox's root";
  if (is_system_dir(target)) return "is at or below a system directory";
  for (uint32_t i = 0; i < policy_mounts; ++i) {
    std::string_view other = plan.mounts[i].target;
    if (target == other) return "is a mount target of the policy";
    if (is_below(other, target)) return "would cover a mount of the policy";
    if (within != nullptr && is_below(target, other) && is_below(other, within))
      return "is inside a mount of the policy";
  }
  return nullptr;
}

bool push_mount(const Policy& policy, Plan& plan, const PlanMount& pm, Failure& f) {
  if (plan.mount_count == kMaxMounts)
    return fail_reason(f, Step::Param, "mounts", policy.name, "more than 2048 apply (list elements included)");
  plan.mounts[plan.mount_count++] = pm;
  return true;
}

// Refuses list value `value` of `param`: "NAME=VALUE: target T <why>".
// One out-of-line copy: the launcher's size is counted in bytes.
[[gnu::noinline]] bool refuse_value(Failure& f, const Param& param, const char* value, std::string_view target,
                                    std::string_view why, const char* const* dirs = nullptr, uint32_t dir_count = 0) {
  Text<4400> nv;
  nv.add(param.name).add('=').add(value);
  Text<512> reason;
  reason.add("target ").add(target).add(' ').add(why);
  for (uint32_t w = 0; w < dir_count; ++w) reason.add(w == 0 ? " " : ", ").add(dirs[w]);
  return fail_param(f, "", nv.view(), reason.view());
}

// The bind of one list element: a path (at its own path, or below `dir`),
// or a volume `HOST:TARGET` (TARGET below one of the `within` directories).
bool each_mount(const Policy& policy, const Param& param, const char* value, const char* dir, const char* const* within,
                uint32_t within_count, uint32_t policy_mounts, PlanMount pm, Arena& arena, Plan& plan, Failure& f) {
  std::string_view host = value, target = value;
  if (param.type == ParamType::Volume) split_volume(value, &host, &target);
  const char* inside = nullptr;
  for (uint32_t w = 0; w < within_count && inside == nullptr; ++w)
    if (is_below(target, within[w])) inside = within[w];
  if (inside == nullptr && (within_count > 0 || param.type == ParamType::Volume))
    return refuse_value(f, param, value, target, "is not below", within, within_count);
  std::string_view last = host.substr(host.rfind('/') + 1);
  Text<4200> t;
  if (dir != nullptr) t.add(dir).add(dir[1] == '\0' ? "" : "/").add(last);  // DIR/<last component>
  pm.target = arena.copy(dir != nullptr ? t.view() : target);
  pm.source = arena.copy(host);
  if (pm.target == nullptr || pm.source == nullptr) return too_big(f, "mount");
  pm.source_trusted_len = host.size();  // the worker's own path: trusted whole
  if (dir == nullptr)
    if (const char* why = element_target_problem(plan, policy_mounts, pm.target, inside))
      return refuse_value(f, param, value, pm.target, why);
  return push_mount(policy, plan, pm, f);
}

bool resolve_mounts(const Policy& policy, const ParamValues& values, Arena& arena, Plan& plan, Failure& f) {
  // Rows for every statement plus every list element, at most kMaxMounts.
  size_t rows = 0;
  for (const Mount* row : policy.mounts)
    rows += (row->flags & kMountEach) && row->source.count == 1 && row->source.items[0].param != kLiteral
                ? values.v[row->source.items[0].param].item_count
                : 1;
  if (rows > kMaxMounts)
    return fail_reason(f, Step::Param, "mounts", policy.name, "more than 2048 apply (list elements included)");
  plan.mounts = arena.alloc_array<PlanMount>(rows == 0 ? 1 : rows);
  if (plan.mounts == nullptr) return too_big(f, "mount");
  // List elements are placed after every policy mount is known (their
  // targets are checked against all of them), in statement order.
  const Mount* lists[kMaxMounts];
  uint32_t list_count = 0;
  for (const Mount* row : policy.mounts) {
    const Mount& m = *row;
    if (!applies(m.when, values)) continue;
    if (m.flags & kMountEach) {
      lists[list_count++] = row;
      continue;
    }
    PlanMount pm{m.kind, m.flags, nullptr, 0, nullptr, 0, m.mode, nullptr, 0, nullptr};
    Eval e = expand(m.target, values, arena, &pm.target);
    if (e == Eval::Ok && m.source.count > 0) e = expand(m.source, values, arena, &pm.source);
    if (e == Eval::Ok && m.extra != nullptr && m.extra->content.count > 0)
      e = expand(m.extra->content, values, arena, &pm.content, &pm.content_len);
    if (e == Eval::Ok && m.extra != nullptr) e = number(m.extra->size, values, &pm.size);
    if (e == Eval::Ok && (m.flags & kMountFollow) && m.extra != nullptr)
      e = expand(m.extra->follow, values, arena, &pm.follow);
    if (e == Eval::TooBig) return too_big(f, "mount");
    if (e == Eval::Skip) continue;
    // A parameter value must not be able to turn a target (or a bind
    // source) into a non-normalised path such as /tmp/../etc.
    if (const char* why = path_problem(pm.target)) return fail_reason(f, Step::Param, "mount target", pm.target, why);
    // An overlay row is one of its layer directories (policy_table.h).
    bool host_path = m.kind == MountKind::Bind || m.kind == MountKind::DevNode || m.kind == MountKind::Overlay;
    if (host_path) {
      if (pm.source == nullptr) pm.source = pm.target;
      size_t trusted = m.source.count > 0 ? trusted_prefix_len(m.source, values) : strlen(pm.source);
      // Cut back to a whole directory: "/srv/data-${NAME}" trusts "/srv".
      while (trusted > 0 && pm.source[trusted] != '\0' && pm.source[trusted] != '/') --trusted;
      pm.source_trusted_len = trusted == 0 ? 1 : trusted;
      if (const char* why = path_problem(pm.source)) return fail_reason(f, Step::Param, "mount source", pm.source, why);
    }
    if (pm.follow != nullptr)
      if (const char* why = path_problem(pm.follow)) return fail_reason(f, Step::Param, "follow", pm.follow, why);
    if (!push_mount(policy, plan, pm, f)) return false;
  }
  uint32_t policy_mounts = plan.mount_count;
  for (uint32_t l = 0; l < list_count; ++l) {
    const Mount& m = *lists[l];
    if (m.source.count != 1 || m.source.items[0].param == kLiteral)
      return fail_reason(f, Step::Plan, "bind each", policy.name, "the source is not a list param");
    const Param& param = *policy.params[m.source.items[0].param];
    const ParamValue& v = values.v[m.source.items[0].param];
    const char* dir = nullptr;
    if (m.target.count > 0) {
      Eval e = expand(m.target, values, arena, &dir);
      if (e == Eval::TooBig) return too_big(f, "mount");
      if (e == Eval::Skip) continue;
      if (const char* why = path_problem(dir)) return fail_reason(f, Step::Param, "mount target", dir, why);
    }
    const char* within[8];
    uint32_t within_count = 0;
    bool skip = false;
    for (const Template& t : m.extra != nullptr ? m.extra->within : List<Template>{nullptr, 0}) {
      if (within_count == 8) return fail_reason(f, Step::Plan, "within", policy.name, "more than 8 directories");
      const char* w = nullptr;
      Eval e = expand(t, values, arena, &w);
      if (e == Eval::TooBig) return too_big(f, "mount");
      if (e == Eval::Skip) {
        skip = true;
        break;
      }
      if (const char* why = path_problem(w)) return fail_reason(f, Step::Param, "within", w, why);
      if (is_system_dir(w)) return fail_reason(f, Step::Param, "within", w, "is a system directory");
      within[within_count++] = w;
    }
    if (skip) continue;
    PlanMount pm{m.kind, m.flags, nullptr, 0, nullptr, 0, m.mode, nullptr, 0, nullptr};
    for (uint32_t i = 0; i < v.item_count; ++i)
      if (!each_mount(policy, param, v.items[i], dir, within, within_count, policy_mounts, pm, arena, plan, f))
        return false;
  }
  return true;
}

bool resolve_limits(const Policy& policy, const ParamValues& values, Plan& plan) {
  for (const RlimitSetting* row : policy.rlimits) {
    const RlimitSetting& r = *row;
    if (!applies(r.when, values)) continue;
    PlanRlimit& out = plan.rlimits[static_cast<int>(r.resource)];
    if (r.inherit) {
      out.set = false;
      continue;
    }
    uint64_t soft = 0, hard = 0;
    if (number(r.soft, values, &soft) != Eval::Ok || number(r.hard, values, &hard) != Eval::Ok) continue;
    out = {true, soft, hard};
  }
  for (const CgroupSetting& c : policy.cgroup) {
    if (!applies(c.when, values)) continue;
    uint64_t v = 0;
    if (number(c.value, values, &v) != Eval::Ok) continue;
    plan.cgroup[static_cast<int>(c.limit)] = {true, v};
  }
  for (const NumberSetting& s : policy.time_limit_ms) {
    if (!applies(s.when, values)) continue;
    uint64_t v = 0;
    if (number(s.value, values, &v) != Eval::Ok) continue;
    plan.time_limit_ms = v == RLIM_INFINITY ? 0 : v;
  }
  return true;
}

// The environment as a small set of "NAME=VALUE" pointers, built by the rules
// in order on an initially empty set (IR: EnvRule).
class EnvBuilder {
 public:
  EnvBuilder(char** slots) : slots_(slots) {}
  void clear() { n_ = 0; }
  void unset(std::string_view name) {
    size_t j = 0;
    for (size_t i = 0; i < n_; ++i)
      if (!named(slots_[i], name)) slots_[j++] = slots_[i];
    n_ = j;
  }
  bool put(char* entry) {
    std::string_view e = entry;
    unset(e.substr(0, e.find('=')));
    if (n_ == kMaxEnv) return false;
    slots_[n_++] = entry;
    return true;
  }
  void finish() { slots_[n_] = nullptr; }

 private:
  static bool named(const char* entry, std::string_view name) {
    return strncmp(entry, name.data(), name.size()) == 0 && entry[name.size()] == '=';
  }
  char** slots_;
  size_t n_ = 0;
};

bool resolve_env(const Policy& policy, const ParamValues& values, char** environ_in, Arena& arena, Plan& plan,
                 Failure& f) {
  char** slots = arena.alloc_array<char*>(kMaxEnv + 1);
  if (slots == nullptr) return too_big(f, "env");
  EnvBuilder env(slots);
  for (const EnvRule* row : policy.env) {
    const EnvRule& r = *row;
    if (!applies(r.when, values)) continue;
    bool ok = true;
    switch (r.op) {
      case EnvOp::Clear: env.clear(); break;
      case EnvOp::Keep:
        for (char** e = environ_in; e != nullptr && *e != nullptr && ok; ++e)
          if (strchr(*e, '=') != nullptr) ok = env.put(*e);
        break;
      case EnvOp::Pass: {
        size_t n = cstr_len(r.name);
        for (char** e = environ_in; e != nullptr && *e != nullptr; ++e)
          if (strncmp(*e, r.name, n) == 0 && (*e)[n] == '=') ok = env.put(*e);
        break;
      }
      case EnvOp::Set: {
        const char* value = nullptr;
        Eval e = expand(r.value, values, arena, &value);
        if (e == Eval::TooBig) return too_big(f, "env");
        if (e == Eval::Skip) break;
        Text<256> name;
        name.add(r.name).add('=');
        char* entry = static_cast<char*>(arena.alloc(name.size() + strlen(value) + 1, 1));
        if (entry == nullptr) return too_big(f, "env");
        memcpy(entry, name.c_str(), name.size());
        strcpy(entry + name.size(), value);
        ok = env.put(entry);
        break;
      }
      case EnvOp::Unset: env.unset(r.name); break;
    }
    if (!ok)
      return fail_reason(
          f, Step::Env, "env", "",
          "more than 4096 variables for the job (the launcher's environment with the policy's env rules)");
  }
  env.finish();
  plan.envp = slots;
  return true;
}

}  // namespace

size_t trusted_prefix_len(const Template& source, const ParamValues& values) {
  if (source.count == 0) return 0;
  const Segment& first = source.items[0];
  return cstr_len(first.param == kLiteral ? first.literal : values.v[first.param].text);
}

bool resolve_plan(const Policy& policy, const ParamValues& values, char** environ_in, char** argv, Arena& arena,
                  Plan& plan, Failure& f) {
  plan.policy = &policy;
  plan.argv = argv;
  if (!text_setting(policy.hostname, values, arena, &plan.hostname, "hostname", f)) return false;
  if (!text_setting(policy.cwd, values, arena, &plan.cwd, "cwd", f)) return false;
  if (plan.hostname != nullptr && strlen(plan.hostname) > 64)
    return fail_reason(f, Step::Param, "hostname", plan.hostname, "longer than 64 bytes");
  if (const char* why = path_problem(plan.cwd)) return fail_reason(f, Step::Param, "cwd", plan.cwd, why);

  // Defaults: every namespace on but time; the network decides net.
  for (bool& on : plan.ns) on = true;
  plan.ns[static_cast<int>(Namespace::Time)] = false;
  const NamespaceSetting* user_off = nullptr;  // the setting that turned the user namespace off
  for (const NamespaceSetting& s : policy.namespaces) {
    if (!applies(s.when, values)) continue;
    plan.ns[static_cast<int>(s.ns)] = s.enabled;
    if (s.ns == Namespace::User) user_off = s.enabled ? nullptr : &s;
  }
  // Kept capabilities without a user namespace would be the host's own
  // (the launcher runs as root): refused before any set-up, naming the
  // param that turned the namespace off.
  if (user_off != nullptr && policy.keep_caps.count > 0) {
    Text<128> what;
    if (user_off->when.count > 0) {
      const Cond& c = user_off->when.items[0];
      what.add(policy.params[c.param]->name).add(c.kind == CondKind::IsFalse ? "=false" : "=true");
    } else {
      what.add("policy ").add(policy.name);
    }
    return fail_reason(f, Step::Param, what.view(), "user namespace off",
                       "the policy keeps capabilities, which without a user namespace would be the host's");
  }
  for (const NetworkSetting& s : policy.network)
    if (applies(s.when, values)) plan.network = s.mode, plan.egress = s.egress;
  // Filtered is the host's namespace too, with the egress programs on top.
  plan.ns[static_cast<int>(Namespace::Net)] = plan.network != Network::Host && plan.network != Network::Filtered;

  if (!resolve_ids(policy.uid_map, values, plan.uid_map, &plan.uid_map_count, "uid_map", f)) return false;
  if (!resolve_ids(policy.gid_map, values, plan.gid_map, &plan.gid_map_count, "gid_map", f)) return false;
  if (!resolve_mounts(policy, values, arena, plan, f)) return false;
  if (!resolve_limits(policy, values, plan)) return false;
  return resolve_env(policy, values, environ_in, arena, plan, f);
}

}  // namespace stockade
