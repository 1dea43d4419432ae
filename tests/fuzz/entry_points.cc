// SPDX-License-Identifier: Apache-2.0
#include "entry_points.h"

namespace stockade::fuzz {

Entry entry_named(std::string_view name) {
  if (name == "policy_frontend") return policy_frontend;
  if (name == "kafel_frontend") return kafel_frontend;
  if (name == "nsjail_text") return nsjail_text;
  if (name == "nsjail_json") return nsjail_json;
  if (name == "launcher_args") return launcher_args;
  return nullptr;
}

}  // namespace stockade::fuzz
