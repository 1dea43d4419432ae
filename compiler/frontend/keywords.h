// SPDX-License-Identifier: Apache-2.0
// The fixed words of the language that later passes act on, as enums: param
// types, network modes and session modes. The names pass (names.cc) resolves
// each spelling once; every pass after it switches on the enum, and
// -Wswitch-enum makes a forgotten case a build error. To add a word: a value
// in its enum and a row in the table just below it, then each switch the
// compiler points at.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace stockade::frontend {

enum class ParamType { Path, Name, String, Int, Size, Duration, Bool, RelPath, Volume, Endpoint };
inline constexpr std::array kParamTypes = {
    std::pair{ParamType::Path, std::string_view("path")},
    std::pair{ParamType::Name, std::string_view("name")},
    std::pair{ParamType::String, std::string_view("string")},
    std::pair{ParamType::Int, std::string_view("int")},
    std::pair{ParamType::Size, std::string_view("size")},
    std::pair{ParamType::Duration, std::string_view("duration")},
    std::pair{ParamType::Bool, std::string_view("bool")},
    std::pair{ParamType::RelPath, std::string_view("relpath")},
    std::pair{ParamType::Volume, std::string_view("volume")},
    std::pair{ParamType::Endpoint, std::string_view("endpoint")},
};

enum class NetworkMode { None, Loopback, Host, Filtered };
inline constexpr std::array kNetworkModes = {
    std::pair{NetworkMode::None, std::string_view("none")},
    std::pair{NetworkMode::Loopback, std::string_view("loopback")},
    std::pair{NetworkMode::Host, std::string_view("host")},
    std::pair{NetworkMode::Filtered, std::string_view("filtered")},
};

enum class SessionMode { New, Keep };
inline constexpr std::array kSessionModes = {
    std::pair{SessionMode::New, std::string_view("new")},
    std::pair{SessionMode::Keep, std::string_view("keep")},
};

// The enum value a spelling names; nullopt for an unknown word.
template <typename E, size_t N>
std::optional<E> keyword(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view word) {
  for (const auto& [value, spelling] : table)
    if (spelling == word) return value;
  return std::nullopt;
}

// How a value is spelled in the language.
template <typename E, size_t N>
std::string_view spelling(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, s] : table)
    if (v == value) return s;
  return "?";
}

// "a, b, c or d", for messages.
template <typename E, size_t N>
std::string spellings(const std::array<std::pair<E, std::string_view>, N>& table) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) out += i + 1 == N ? " or " : ", ";
    out += table[i].second;
  }
  return out;
}

inline std::string_view spelling(ParamType t) { return spelling(kParamTypes, t); }

}  // namespace stockade::frontend
