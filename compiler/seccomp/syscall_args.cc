// SPDX-License-Identifier: Apache-2.0
#include "syscall_args.h"

#include <map>
#include <string>

namespace stockade::seccomp {
namespace {

using Table = std::map<std::string, std::vector<ArgSpec>, std::less<>>;

// Built once per call site that asks; a function-local constant, not mutable
// global state.
const Table& table() {
  static const Table kTable = {
// From the kernel's linux/syscalls.h, see gen_syscall_args.cmake.
#include "syscall_args.inc"
  };
  return kTable;
}

}  // namespace

const std::vector<ArgSpec>* syscall_args(std::string_view name) {
  const Table& t = table();
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

size_t syscall_args_count() { return table().size(); }

namespace {
const std::vector<KafelArgName>& kafel_table() {
  static const std::vector<KafelArgName> kNames = {
#include "kafel_arg_names.inc"
  };
  return kNames;
}
}  // namespace

std::vector<KafelArgName> kafel_arg_names(std::string_view name) {
  std::vector<KafelArgName> out;
  for (const KafelArgName& k : kafel_table())
    if (name == k.syscall) out.push_back(k);
  return out;
}

size_t kafel_arg_names_count() { return kafel_table().size(); }

}  // namespace stockade::seccomp
