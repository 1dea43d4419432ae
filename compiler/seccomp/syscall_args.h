// SPDX-License-Identifier: Apache-2.0
// Argument names and widths per syscall, for `write { fd == 1 }` without a
// declaration. Names and widths follow the kernel's SYSCALL_DEFINE lines (the
// names Kafel accepts); a width of 4 marks an int-sized argument whose high
// half the kernel ignores, 8 a long or pointer.
//
// Source: generated at build time from the kernel's include/linux/syscalls.h
// (gen_syscall_args.cmake), which carries the SYSCALL_DEFINE argument names,
// with a short documented override list for prototypes it lacks. A syscall
// missing here (e.g. newer than those headers) can still be filtered by
// declaring its arguments: `kcmp(a, b, type) { type == 0 }` (64-bit each).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace stockade::seccomp {

struct ArgSpec {
  const char* name;
  uint8_t width;  // bytes: 4 or 8
};

// The known arguments of canonical syscall `name`; nullptr if none are known.
// A known syscall with no arguments returns an empty, non-null list.
const std::vector<ArgSpec>* syscall_args(std::string_view name);
// How many syscalls have known arguments (for tests of the generated table).
size_t syscall_args_count();

// Kafel's argument names for canonical syscall `name` where they differ from
// the kernel's, or where only the width differs (kafel_arg_names.inc).
struct KafelArgName {
  const char* syscall;
  uint32_t index;
  const char* name;
  uint8_t width;
};
std::vector<KafelArgName> kafel_arg_names(std::string_view name);
size_t kafel_arg_names_count();

}  // namespace stockade::seccomp
