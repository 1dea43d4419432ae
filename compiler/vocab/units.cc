// SPDX-License-Identifier: Apache-2.0
#include "vocab/units.h"

#include "vocab/numbers.h"

namespace stockade::vocab {

const Unit* find_unit(std::string_view name) {
  for (const Unit& u : kUnits)
    if (u.name == name) return &u;
  return nullptr;
}

UnitKind unit_kind(std::string_view name) {
  const Unit* u = find_unit(name);
  return u ? u->kind : UnitKind::None;
}

uint64_t unit_factor(std::string_view name) {
  const Unit* u = find_unit(name);
  return u ? u->factor : 1;
}

std::string unit_names(UnitKind kind) {
  std::string out;
  for (const Unit& u : kUnits) {
    if (u.kind != kind) continue;
    if (!out.empty()) out += ", ";
    out += u.name;
  }
  return out;
}

std::optional<uint64_t> scale(uint64_t n, std::string_view unit) { return checked_mul(n, unit_factor(unit)); }

std::optional<uint64_t> parse_quantity(std::string_view text, UnitKind kind, uint64_t bare_factor) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::optional<uint64_t> n = parse_unsigned(text.substr(0, digits));
  if (!n) return std::nullopt;
  std::string_view rest = text.substr(digits);
  if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  if (rest.empty()) return checked_mul(*n, bare_factor);
  const Unit* u = find_unit(rest);
  if (!u || u->kind != kind) return std::nullopt;
  return checked_mul(*n, u->factor);
}

namespace {

// `v` base units in the unit of `kind` that gives the smallest exact number.
std::string format(uint64_t v, UnitKind kind, std::string_view base) {
  uint64_t best = v;
  std::string_view unit = base;
  if (v != 0)
    for (const Unit& u : kUnits)
      if (u.kind == kind && v % u.factor == 0 && v / u.factor < best) {
        best = v / u.factor;
        unit = u.name;
      }
  return std::to_string(best) + " " + std::string(unit);
}

}  // namespace

std::string format_bytes(uint64_t bytes) { return format(bytes, UnitKind::Size, "B"); }

std::string format_millis(uint64_t ms) { return format(ms, UnitKind::Duration, "ms"); }

}  // namespace stockade::vocab
