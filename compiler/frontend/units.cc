#include "frontend/units.h"

#include <limits>

namespace stockade::frontend {

UnitKind unit_kind(const std::string& unit) {
  if (unit.empty()) return UnitKind::None;
  if (unit == "ms" || unit == "s" || unit == "m" || unit == "h" || unit == "d") return UnitKind::Duration;
  return UnitKind::Size;
}

uint64_t unit_factor(const std::string& unit) {
  constexpr uint64_t K = 1000, Ki = 1024;
  if (unit == "B") return 1;
  if (unit == "KB") return K;
  if (unit == "MB") return K * K;
  if (unit == "GB") return K * K * K;
  if (unit == "TB") return K * K * K * K;
  if (unit == "KiB") return Ki;
  if (unit == "MiB") return Ki * Ki;
  if (unit == "GiB") return Ki * Ki * Ki;
  if (unit == "TiB") return Ki * Ki * Ki * Ki;
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60 * 1000;
  if (unit == "h") return 3600 * 1000;
  if (unit == "d") return 24 * 3600 * 1000;
  return 1;
}

namespace {

std::optional<uint64_t> parse_base(const std::string& digits, unsigned base, size_t skip) {
  if (digits.size() <= skip) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = skip; i < digits.size(); ++i) {
    char c = digits[i];
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
    if (d >= base) return std::nullopt;
    if (value > (std::numeric_limits<uint64_t>::max() - d) / base) return std::nullopt;
    value = value * base + d;
  }
  return value;
}

}  // namespace

std::optional<uint64_t> parse_number(const std::string& digits) {
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
    return parse_base(digits, 16, 2);
  return parse_base(digits, 10, 0);
}

std::optional<uint64_t> parse_octal(const std::string& digits) { return parse_base(digits, 8, 0); }

std::optional<uint64_t> base_value(const ast::Quantity& q) {
  std::optional<uint64_t> n = parse_number(q.digits);
  if (!n) return std::nullopt;
  uint64_t f = unit_factor(q.unit);
  if (*n != 0 && f > std::numeric_limits<uint64_t>::max() / *n) return std::nullopt;
  return *n * f;
}

}  // namespace stockade::frontend
