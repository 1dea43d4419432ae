// Capability names (CAP_*) to their numbers, from the kernel's uapi header.
#pragma once

#include <string>

namespace stockade::frontend {

// -1 if `name` is not a capability.
int capability_number(const std::string& name);
// "CAP_..." for a number, or the number in decimal if unknown.
std::string capability_name(unsigned number);

}  // namespace stockade::frontend
