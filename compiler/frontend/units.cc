// SPDX-License-Identifier: Apache-2.0
#include "frontend/units.h"

#include "vocab/numbers.h"
#include "vocab/units.h"

namespace stockade::frontend {

std::optional<uint64_t> base_value(const ast::Quantity& q) {
  std::optional<uint64_t> n = vocab::parse_number(q.digits);
  if (!n) return std::nullopt;
  return vocab::scale(*n, q.unit);
}

}  // namespace stockade::frontend
