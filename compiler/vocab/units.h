// SPDX-License-Identifier: Apache-2.0
// The language's units: each size unit with its bytes, each duration unit
// with its milliseconds, once. The lexer's UNIT pattern (grammar/policy.l)
// and the launcher's tables (runtime/params.cc) are held to this list by
// tests (tests/vocab/). Formatting picks the unit people read: the one that
// gives the smallest exact number (800 MB, 4 GiB, 30 d).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockade::vocab {

enum class UnitKind { None, Size, Duration };

struct Unit {
  std::string_view name;
  UnitKind kind;
  uint64_t factor;  // bytes for sizes, milliseconds for durations
};

inline constexpr uint64_t kKB = 1000, kKiB = 1024;
inline constexpr std::array kUnits = {
    Unit{"B", UnitKind::Size, 1},
    Unit{"KB", UnitKind::Size, kKB},
    Unit{"MB", UnitKind::Size, kKB* kKB},
    Unit{"GB", UnitKind::Size, kKB* kKB* kKB},
    Unit{"TB", UnitKind::Size, kKB* kKB* kKB* kKB},
    Unit{"KiB", UnitKind::Size, kKiB},
    Unit{"MiB", UnitKind::Size, kKiB* kKiB},
    Unit{"GiB", UnitKind::Size, kKiB* kKiB* kKiB},
    Unit{"TiB", UnitKind::Size, kKiB* kKiB* kKiB* kKiB},
    Unit{"ms", UnitKind::Duration, 1},
    Unit{"s", UnitKind::Duration, 1000},
    Unit{"m", UnitKind::Duration, 60 * 1000},
    Unit{"h", UnitKind::Duration, 3600 * 1000},
    Unit{"d", UnitKind::Duration, 24 * 3600 * 1000},
};

// nullptr for "" and for a word that is not a unit.
const Unit* find_unit(std::string_view name);
// None for "" (and for a word that is not a unit).
UnitKind unit_kind(std::string_view name);
// The unit's factor; 1 for "" (and for a word that is not a unit).
uint64_t unit_factor(std::string_view name);
// "B, KB, ..., TiB" or "ms, s, m, h, d", for messages.
std::string unit_names(UnitKind kind);

// `n` units in the base unit (bytes, ms); nullopt on overflow.
std::optional<uint64_t> scale(uint64_t n, std::string_view unit);

// "<digits>[ ]<unit>" of `kind` (a bare number takes `bare_factor`), as the
// launcher reads a size or duration param; nullopt when it is not one or
// overflows.
std::optional<uint64_t> parse_quantity(std::string_view text, UnitKind kind, uint64_t bare_factor);

// Exact, in the unit that gives the smallest number: "800 MB", "4 GiB", "0 B".
std::string format_bytes(uint64_t bytes);
// Exact, in the unit that gives the smallest number: "30 d", "90 s", "1500 ms".
std::string format_millis(uint64_t ms);

}  // namespace stockade::vocab
