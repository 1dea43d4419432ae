// SPDX-License-Identifier: Apache-2.0
// Number parsing for the whole compiler: every digit string the front end,
// explain and the importer read goes through here, so one rule decides what
// a number is (std::from_chars: no sign, no blanks, no partial reads) and an
// overflow is a value the caller reports, never an exception or a wrap.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace stockade::vocab {

// All of `digits` in `base` (2..36), no sign, no prefix; nullopt when empty,
// on any other character, or when the value exceeds `max`.
std::optional<uint64_t> parse_unsigned(std::string_view digits, int base = 10,
                                       uint64_t max = std::numeric_limits<uint64_t>::max());

// The language's numbers: decimal, or hex after 0x / 0X.
std::optional<uint64_t> parse_number(std::string_view digits);
// Octal digits (a mode): nullopt on 8, 9 or overflow.
std::optional<uint64_t> parse_octal(std::string_view digits);
// A 32-bit id (uid, gid) in decimal: nullopt above 4294967295.
std::optional<uint32_t> parse_id(std::string_view digits);

// a * b, or nullopt when it does not fit in 64 bits.
std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b);
// a + b, or nullopt when it does not fit in 64 bits.
std::optional<uint64_t> checked_add(uint64_t a, uint64_t b);

}  // namespace stockade::vocab
