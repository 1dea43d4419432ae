// SPDX-License-Identifier: Apache-2.0
#include "params.h"

#include "egress/endpoint.h"

#include "text.h"

namespace stockade {
namespace {

using table::ParamType;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses leading decimal digits into *v; returns the number of digits, 0 on
// none, or -1 on overflow.
int parse_digits(std::string_view s, uint64_t* v) {
  uint64_t acc = 0;
  size_t i = 0;
  while (i < s.size() && is_digit(s[i])) {
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (acc > (UINT64_MAX - d) / 10) return -1;
    acc = acc * 10 + d;
    ++i;
  }
  *v = acc;
  return static_cast<int>(i);
}

struct Unit {
  std::string_view name;
  uint64_t factor;
};

constexpr Unit kSizeUnits[] = {
    {"B", 1},
    {"KB", 1000ull},
    {"MB", 1000ull * 1000},
    {"GB", 1000ull * 1000 * 1000},
    {"TB", 1000ull * 1000 * 1000 * 1000},
    {"KiB", 1ull << 10},
    {"MiB", 1ull << 20},
    {"GiB", 1ull << 30},
    {"TiB", 1ull << 40},
};
// Held to the compiler's units (compiler/vocab/units.h) by tests/vocab/.
constexpr Unit kDurationUnits[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 3600 * 1000}, {"d", 24 * 3600 * 1000}};

// "<digits>[ ]<unit>" with `no_unit` as the factor when the unit is absent.
const char* parse_with_unit(std::string_view s, const Unit* units, size_t n_units, uint64_t no_unit, int64_t* out) {
  uint64_t v = 0;
  int digits = parse_digits(s, &v);
  if (digits < 0) return "too large";
  if (digits == 0) return "not a number";
  std::string_view rest = s.substr(static_cast<size_t>(digits));
  if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  uint64_t factor = no_unit;
  if (!rest.empty()) {
    factor = 0;
    for (size_t i = 0; i < n_units; ++i)
      if (units[i].name == rest) factor = units[i].factor;
    if (factor == 0) return "unknown unit";
  }
  if (v > static_cast<uint64_t>(INT64_MAX) / factor) return "too large";
  *out = static_cast<int64_t>(v * factor);
  return nullptr;
}

const char* parse_int(std::string_view s, int64_t* out) {
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  uint64_t v = 0;
  int digits = parse_digits(s, &v);
  if (digits < 0) return "out of the 64-bit range";
  if (digits == 0 || static_cast<size_t>(digits) != s.size()) return "not a decimal integer";
  if (v > static_cast<uint64_t>(INT64_MAX) + (neg ? 1 : 0)) return "out of the 64-bit range";
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return nullptr;
}

const char* name_problem(std::string_view s) {
  if (s.empty()) return "empty name";
  if (s.size() > kNameMax) return "longer than 255 bytes";
  if (s == "." || s == "..") return "'.' and '..' are not names";
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '-';
    if (!ok) return "a name allows only A-Z a-z 0-9 . _ -";
  }
  return nullptr;
}

const char* check_value(const table::Param& p, std::string_view s, ParamValue& out) {
  switch (p.type) {
    case ParamType::Path: return path_problem(s);
    case ParamType::Name: return name_problem(s);
    case ParamType::String: return s.size() > kStringMax ? "longer than 4096 bytes" : nullptr;
    case ParamType::Int: return parse_int(s, &out.number);
    case ParamType::Size:
      return parse_with_unit(s, kSizeUnits, sizeof kSizeUnits / sizeof kSizeUnits[0], 1, &out.number);
    case ParamType::Duration:
      return parse_with_unit(s, kDurationUnits, sizeof kDurationUnits / sizeof kDurationUnits[0], 1000, &out.number);
    case ParamType::Bool:
      if (s == "true") out.flag = true;
      else if (s == "false") out.flag = false;
      else return "a bool is true or false";
      return nullptr;
    case ParamType::RelPath: return relpath_problem(s);
    case ParamType::Volume: {
      std::string_view host, target;
      if (!split_volume(s, &host, &target)) return "a volume is HOST_PATH:TARGET";
      if (const char* why = path_problem(host)) return why;
      if (const char* why = path_problem(target)) return why;
      return target == "/" ? "a volume's target cannot be /" : nullptr;
    }
    case ParamType::Endpoint: {
      egress::Endpoint e;
      return egress::parse_endpoint(s, e);
    }
  }
  return "unknown parameter type";
}

bool is_numeric(ParamType t) { return t == ParamType::Int || t == ParamType::Size || t == ParamType::Duration; }

// "NAME=VALUE" for messages, value cut to keep the line readable.
void name_value(TextBuf& t, const table::Param& p, std::string_view value) {
  t.add(p.name).add('=');
  t.add(value.size() > 200 ? value.substr(0, 200) : value);
  if (value.size() > 200) t.add("...");
}

}  // namespace

// The components of a path after its first byte; each non-empty, not '.'
// or '..'.
static const char* component_problem(std::string_view s) {
  size_t i = 0;
  while (i <= s.size()) {
    size_t end = s.find('/', i);
    if (end == std::string_view::npos) end = s.size();
    std::string_view comp = s.substr(i, end - i);
    if (comp.empty()) return end == s.size() ? "trailing '/'" : "empty component ('//')";
    if (comp == ".") return "'.' component";
    if (comp == "..") return "'..' component";
    i = end + 1;
  }
  return nullptr;
}

const char* relpath_problem(std::string_view s) {
  if (s.empty()) return "empty relative path";
  if (s[0] == '/') return "not a relative path (starts with '/')";
  if (s.size() > kPathMax) return "longer than 4095 bytes";
  return component_problem(s);
}

bool is_system_dir(std::string_view path) {
  static constexpr std::string_view kSystemDirs[] = {"/proc", "/dev",   "/sys",   "/etc",    "/usr",  "/bin", "/sbin",
                                                     "/lib",  "/lib32", "/lib64", "/libx32", "/boot", "/run"};
  if (path == "/") return true;
  for (std::string_view sys : kSystemDirs)
    if (path == sys || (path.size() > sys.size() && path.substr(0, sys.size()) == sys && path[sys.size()] == '/'))
      return true;
  return false;
}

bool split_volume(std::string_view s, std::string_view* host, std::string_view* target) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  *host = s.substr(0, colon);
  *target = s.substr(colon + 1);
  return true;
}

const char* path_problem(std::string_view s) {
  if (s.empty() || s[0] != '/') return "not an absolute path";
  if (s.size() > kPathMax) return "longer than 4095 bytes";
  if (s.size() > 1 && s.back() == '/') return "trailing '/'";
  size_t i = 1;
  while (i <= s.size()) {
    size_t end = s.find('/', i);
    if (end == std::string_view::npos) end = s.size();
    std::string_view comp = s.substr(i, end - i);
    if (comp.empty() && s.size() > 1) return "empty component ('//')";
    if (comp == ".") return "'.' component";
    if (comp == "..") return "'..' component";
    i = end + 1;
  }
  return nullptr;
}

namespace {

// `path` is `root` or lies below it, component-wise (both normalised).
bool at_or_below(std::string_view path, std::string_view root) {
  if (root == "/") return true;
  return path.size() >= root.size() && path.substr(0, root.size()) == root &&
         (path.size() == root.size() || path[root.size()] == '/');
}

// A path param's `within` roots: the value must be one or lie below one.
bool check_roots(const table::Param& p, std::string_view value, std::string_view name_value, Failure& f) {
  if (p.type != ParamType::Path || p.within.count == 0) return true;
  for (const char* root : p.within)
    if (at_or_below(value, root)) return true;
  Text<600> why;
  why.add("not within ");
  for (uint32_t i = 0; i < p.within.count; ++i) why.add(i == 0 ? "" : " or ").add(p.within.items[i]);
  return fail_param(f, "", name_value, why.view());
}

}  // namespace

bool check_param_value(const table::Param& p, const char* value, ParamValue& out, Failure& f) {
  // argv strings cannot hold NUL, but cap the scan so a huge value is
  // rejected by length rather than measured in full.
  size_t len = 0;
  while (len <= kStringMax + 1 && value[len] != '\0') ++len;
  std::string_view s(value, len);
  bool path_like = p.type == ParamType::Path || p.type == ParamType::RelPath || p.type == ParamType::Volume;
  const char* problem = len > kStringMax ? (path_like                   ? "longer than 4095 bytes"
                                            : p.type == ParamType::Name ? "longer than 255 bytes"
                                                                        : "longer than 4096 bytes")
                                         : check_value(p, s, out);
  Text<320> nv;
  name_value(nv, p, s);
  if (problem != nullptr) return fail_param(f, "", nv.view(), problem);
  if (!check_roots(p, s, nv.view(), f)) return false;
  if (is_numeric(p.type) && p.has_range && (out.number < p.min || out.number > p.max)) {
    Text<96> range;
    range.add("out of range ").add_i64(p.min).add("..").add_i64(p.max);
    if (p.type == ParamType::Size) range.add(" bytes");
    if (p.type == ParamType::Duration) range.add(" ms");
    return fail_param(f, "", nv.view(), range.view());
  }
  out.set = true;
  out.text = value;
  if (p.type == ParamType::Int) {
    // Templates see the canonical decimal, never "007" or "+7".
    TextBuf d(out.digits, sizeof out.digits);
    d.add_i64(out.number);
    out.text = out.digits;
  }
  return true;
}

namespace {

// Index of the declaration `name`, or count when there is none (f filled).
uint32_t find_param(const table::Policy& policy, std::string_view name, Failure& f) {
  uint32_t idx = 0;
  while (idx < policy.params.count && !equal(policy.params[idx]->name, name)) ++idx;
  if (idx == policy.params.count) {
    Text<1024> known;
    known.add("unknown parameter (policy ").add(policy.name).add(" takes:");
    for (const table::Param* p : policy.params) known.add(' ').add(p->name);
    if (policy.params.count == 0) known.add(" none");
    known.add(')');
    fail_param(f, "", name.substr(0, 300), known.view());
  }
  return idx;
}

// One value of a list param: validated like a single value of its type.
bool check_list_value(const table::Param& p, const char* value, ParamValue& list, Failure& f) {
  if (list.item_count == kMaxListItems) {
    Text<96> why;
    why.add("more than ").add_u64(kMaxListItems).add(" values");
    return fail_param(f, "", p.name, why.view());
  }
  ParamValue one;
  if (!check_param_value(p, value, one, f)) return false;
  list.items[list.item_count++] = value;
  return true;
}

}  // namespace

bool validate_params(const table::Policy& policy, const ParamArg* args, size_t count, ParamValues& out, Failure& f) {
  if (policy.params.count > kMaxParams)
    return fail_reason(f, Step::Param, "policy", policy.name, "declares more than 64 parameters");
  if (count > kMaxParamArgs) return fail_reason(f, Step::Param, "--param", "", "more than 2048 values in all");
  out.count = policy.params.count;
  // First pass: names, and how many values each list gets, so every list's
  // values are one run of out.items in command-line order.
  uint32_t index[kMaxParamArgs];
  uint32_t given[kMaxParams] = {};  // values given per param (lists and scalars)
  for (size_t i = 0; i < count; ++i) {
    std::string_view text = args[i].text;
    size_t eq = text.find('=');
    const char* option = args[i].source == ParamSource::FileOption ? "--param-file" : "--param";
    if (eq == std::string_view::npos || eq == 0)
      return fail_reason(f, Step::Param, option, text.substr(0, 300), "expected NAME=VALUE");
    uint32_t idx = find_param(policy, text.substr(0, eq), f);
    if (idx == policy.params.count) return false;
    const table::Param& p = *policy.params[idx];
    if (!p.list && args[i].source == ParamSource::FileLine)
      return fail_param(f, "--param-file", p.name, "not a list parameter: give it with --param");
    if (!p.list && given[idx] > 0) return fail_param(f, "", p.name, "given more than once");
    index[i] = idx;
    ++given[idx];
  }
  uint32_t at = 0;
  for (uint32_t i = 0; i < policy.params.count; ++i) {
    if (!policy.params[i]->list) continue;
    out.v[i].items = out.items + at;
    at += given[i];
  }
  for (size_t i = 0; i < count; ++i) {
    const table::Param& p = *policy.params[index[i]];
    const char* value = args[i].text + (std::string_view(args[i].text).find('=') + 1);
    bool ok = p.list ? check_list_value(p, value, out.v[index[i]], f) : check_param_value(p, value, out.v[index[i]], f);
    if (!ok) return false;
  }
  for (uint32_t i = 0; i < policy.params.count; ++i) {
    const table::Param& p = *policy.params[i];
    if (p.list) {
      out.v[i].set = true;  // an empty list is a value: `bind each` binds nothing
      continue;
    }
    if (out.v[i].set) continue;
    if (p.default_value != nullptr) {
      if (!check_param_value(p, p.default_value, out.v[i], f)) return false;
    } else if (!p.optional) {
      Text<160> why;
      why.add("required by policy ").add(policy.name).add(" but not given");
      return fail_param(f, "", p.name, why.view());
    }
  }
  return true;
}

}  // namespace stockade
