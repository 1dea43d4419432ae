// SPDX-License-Identifier: Apache-2.0
#include "vocab/numbers.h"

#include <charconv>
#include <system_error>

namespace stockade::vocab {

std::optional<uint64_t> parse_unsigned(std::string_view digits, int base, uint64_t max) {
  if (digits.empty()) return std::nullopt;
  uint64_t value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value, base);
  if (ec != std::errc() || ptr != end || value > max) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_number(std::string_view digits) {
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
    return parse_unsigned(digits.substr(2), 16);
  return parse_unsigned(digits, 10);
}

std::optional<uint64_t> parse_octal(std::string_view digits) { return parse_unsigned(digits, 8); }

std::optional<uint32_t> parse_id(std::string_view digits) {
  std::optional<uint64_t> v = parse_unsigned(digits, 10, std::numeric_limits<uint32_t>::max());
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a) return std::nullopt;
  return a * b;
}

std::optional<uint64_t> checked_add(uint64_t a, uint64_t b) {
  if (b > std::numeric_limits<uint64_t>::max() - a) return std::nullopt;
  return a + b;
}

}  // namespace stockade::vocab
