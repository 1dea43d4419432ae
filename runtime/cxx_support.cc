// SPDX-License-Identifier: Apache-2.0
// The launcher links no libstdc++. Header-only std types still name a few
// of its error hooks (std::string_view::substr checks its position and would
// throw); with -fno-exceptions the only sane answer to such a bug is to stop
// at once. A trap (SIGILL), not abort(): musl's abort brings its signal
// blocking and locks into the static launcher for a path no test reaches.
namespace std {
[[noreturn]] void __throw_out_of_range_fmt(const char*, ...) { __builtin_trap(); }
[[noreturn]] void __throw_out_of_range(const char*) { __builtin_trap(); }
[[noreturn]] void __throw_length_error(const char*) { __builtin_trap(); }
[[noreturn]] void __throw_logic_error(const char*) { __builtin_trap(); }
}  // namespace std
