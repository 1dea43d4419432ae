// SPDX-License-Identifier: Apache-2.0
// What a path, a relative path and a name are, for the compiler: a path
// param's value or a mount path is absolute and normalised, a relpath's is
// relative and normalised; a name is one file-name component.
// The launcher keeps its own copy of these rules (runtime/params.cc), held
// to these by tests/vocab/.
#pragma once

#include <string>
#include <string_view>

namespace stockade::vocab {

inline constexpr size_t kPathMax = 4095;  // bytes, as PATH_MAX less the NUL
inline constexpr size_t kNameMax = 255;   // bytes, as NAME_MAX

// "" if `path` is absolute and normalised (no `//`, no `.` or `..`
// component, no trailing `/` except for "/" itself, no NUL, at most
// kPathMax bytes), else what is wrong.
std::string path_problem(std::string_view path);

// "" if `path` is relative and normalised (a relpath value: not empty, no
// leading or trailing `/`, no `//`, no `.` or `..` component, no NUL, at
// most kPathMax bytes), else what is wrong.
std::string relpath_problem(std::string_view path);

// [A-Za-z0-9._-]+, not "." or "..", at most kNameMax bytes.
bool valid_name(std::string_view name);

}  // namespace stockade::vocab
