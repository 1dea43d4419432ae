// SPDX-License-Identifier: Apache-2.0
// Syscall name <-> number tables per ABI, generated at build time from the
// kernel uapi headers (see gen_syscall_table.cmake), plus a short list of
// friendlier aliases. Pure lookups, no state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stockade::seccomp {

enum class Abi { X86_64, X32, I386, Aarch64 };

struct SyscallEntry {
  const char* name;
  uint32_t nr;  // as seen in seccomp_data.nr (x32 numbers carry the x32 bit)
};

struct AbiInfo {
  Abi abi;
  const char* name;     // as written in `expect` lines and explain text
  uint32_t audit_arch;  // seccomp_data.arch for this ABI
  const SyscallEntry* table;
  size_t count;
};

const AbiInfo& abi_info(Abi abi);
std::optional<Abi> abi_from_name(std::string_view name);

// Canonical name (header spelling) for `name`, following aliases such as
// newfstat -> fstat. Empty when `name` is no syscall of any of our ABIs.
std::string canonical_name(std::string_view name);
// Every name canonical_name() takes for `abi` (its table and, for x86-64,
// the aliases): the candidates of "did you mean".
std::vector<std::string> syscall_names(Abi abi);
// The number of a canonical name on `abi`, if that ABI has it.
std::optional<uint32_t> syscall_number(Abi abi, std::string_view canonical);
// The name of `nr` on `abi`, or nullptr.
const char* syscall_name(Abi abi, uint32_t nr);

}  // namespace stockade::seccomp
