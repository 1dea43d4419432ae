// SPDX-License-Identifier: Apache-2.0
// Capability names (CAP_*) and their numbers, from the kernel's uapi header:
// the one list the front end, explain and the importer read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stockade::vocab {

struct Capability {
  std::string_view name;  // "CAP_CHOWN"
  unsigned number;
};

// Every capability the language knows, in number order.
const std::vector<Capability>& capabilities();

// -1 if `name` is not a capability.
int capability_number(std::string_view name);
// "CAP_..." for a number, or the number in decimal if unknown.
std::string capability_name(unsigned number);

}  // namespace stockade::vocab
