// Numbers and units of the language: decimal/hex/octal digits, size units
// (to bytes) and duration units (to milliseconds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "frontend/ast.h"

namespace stockade::frontend {

enum class UnitKind { None, Size, Duration };

UnitKind unit_kind(const std::string& unit);
// Bytes per unit for sizes, milliseconds per unit for durations, 1 for none.
uint64_t unit_factor(const std::string& unit);

// Decimal or 0x hex; nullopt on overflow or a bad digit.
std::optional<uint64_t> parse_number(const std::string& digits);
// Octal digits (mode): nullopt on 8, 9 or overflow.
std::optional<uint64_t> parse_octal(const std::string& digits);
// A Number quantity in its base unit (bytes, ms, plain); nullopt on overflow.
std::optional<uint64_t> base_value(const ast::Quantity& q);

}  // namespace stockade::frontend
