#include "params.h"

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
const char* parse_with_unit(std::string_view s, const Unit* units, size_t n_units, uint64_t no_unit,
                            int64_t* out) {
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
    case ParamType::Path:
      return path_problem(s);
    case ParamType::Name:
      return name_problem(s);
    case ParamType::String:
      return s.size() > kStringMax ? "longer than 4096 bytes" : nullptr;
    case ParamType::Int:
      return parse_int(s, &out.number);
    case ParamType::Size:
      return parse_with_unit(s, kSizeUnits, sizeof kSizeUnits / sizeof kSizeUnits[0], 1, &out.number);
    case ParamType::Duration:
      return parse_with_unit(s, kDurationUnits, sizeof kDurationUnits / sizeof kDurationUnits[0], 1000,
                             &out.number);
    case ParamType::Bool:
      if (s == "true") out.flag = true;
      else if (s == "false") out.flag = false;
      else return "a bool is true or false";
      return nullptr;
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

bool check_param_value(const table::Param& p, const char* value, ParamValue& out, Failure& f) {
  // argv strings cannot hold NUL, but cap the scan so a huge value is
  // rejected by length rather than measured in full.
  size_t len = 0;
  while (len <= kStringMax + 1 && value[len] != '\0') ++len;
  std::string_view s(value, len);
  const char* problem = len > kStringMax ? (p.type == ParamType::Path ? "longer than 4095 bytes"
                                            : p.type == ParamType::Name ? "longer than 255 bytes"
                                                                          : "longer than 4096 bytes")
                                         : check_value(p, s, out);
  Text<320> nv;
  name_value(nv, p, s);
  if (problem != nullptr) return fail_reason(f, "param", "", nv.view(), problem);
  if (is_numeric(p.type) && p.has_range && (out.number < p.min || out.number > p.max)) {
    Text<96> range;
    range.add("out of range ").add_i64(p.min).add("..").add_i64(p.max);
    if (p.type == ParamType::Size) range.add(" bytes");
    if (p.type == ParamType::Duration) range.add(" ms");
    return fail_reason(f, "param", "", nv.view(), range.view());
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

bool validate_params(const table::Policy& policy, const ParamArg* args, size_t count, ParamValues& out,
                     Failure& f) {
  if (policy.params.count > kMaxParams)
    return fail_reason(f, "param", "policy", policy.name, "declares more than 64 parameters");
  out.count = policy.params.count;
  for (size_t i = 0; i < count; ++i) {
    std::string_view text = args[i].text;
    size_t eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return fail_reason(f, "param", "--param", text.substr(0, 300), "expected NAME=VALUE");
    std::string_view name = text.substr(0, eq);
    uint32_t idx = 0;
    while (idx < policy.params.count && !equal(policy.params.items[idx]->name, name)) ++idx;
    if (idx == policy.params.count) {
      Text<1024> known;
      known.add("unknown parameter (policy ").add(policy.name).add(" takes:");
      for (const table::Param* p : policy.params) known.add(' ').add(p->name);
      if (policy.params.count == 0) known.add(" none");
      known.add(')');
      return fail_reason(f, "param", "", name.substr(0, 300), known.view());
    }
    if (out.v[idx].set) return fail_reason(f, "param", "", name.substr(0, 300), "given more than once");
    if (!check_param_value(*policy.params.items[idx], args[i].text + eq + 1, out.v[idx], f)) return false;
  }
  for (uint32_t i = 0; i < policy.params.count; ++i) {
    const table::Param& p = *policy.params.items[i];
    if (out.v[i].set) continue;
    if (p.default_value != nullptr) {
      if (!check_param_value(p, p.default_value, out.v[i], f)) return false;
    } else if (!p.optional) {
      Text<160> why;
      why.add("required by policy ").add(policy.name).add(" but not given");
      return fail_reason(f, "param", "", p.name, why.view());
    }
  }
  return true;
}

}  // namespace stockade
