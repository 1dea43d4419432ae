// SPDX-License-Identifier: Apache-2.0
// Numbers and units of the language in the syntax tree: a Quantity's digits
// and unit in its base unit. The units and the digit rules themselves are the
// vocabulary's (vocab/units.h, vocab/numbers.h).
#pragma once

#include <cstdint>
#include <optional>

#include "frontend/ast.h"

namespace stockade::frontend {

// A Number quantity in its base unit (bytes, ms, plain); nullopt on overflow.
std::optional<uint64_t> base_value(const ast::Quantity& q);

}  // namespace stockade::frontend
