// SPDX-License-Identifier: Apache-2.0
// Parameter validation: every --param is checked against the policy's typed
// declarations (docs/language.md, "Parameters") before any set-up happens.
// Pure code, no system calls, unit-tested on the host.
#pragma once

#include <stdint.h>

#include <string_view>

#include "capacity.h"
#include "cli.h"
#include "fail.h"
#include "policy_table.h"

namespace stockade {

struct ParamValue {
  bool set = false;
  const char* text = nullptr;  // substituted into templates (ints: canonical decimal)
  int64_t number = 0;          // Int, Size (bytes), Duration (ms)
  bool flag = false;           // Bool
  char digits[24] = {};        // backing store for canonical int text
  // A list param: its values in command-line order (`set` even when empty:
  // a list is never unset, it is empty). Points into ParamValues::items.
  const char** items = nullptr;
  uint32_t item_count = 0;
};

struct ParamValues {
  ParamValue v[kMaxParams];
  uint32_t count = 0;
  const char* items[kMaxParamArgs];  // every list's values, one run per list
};

// Checks one value against one declaration; on success fills `out`.
bool check_param_value(const table::Param& p, const char* value, ParamValue& out, Failure& f);

// Checks all --param arguments and applies defaults. False with `f` filled
// on the first problem (exit 121).
bool validate_params(const table::Policy& policy, const ParamArg* args, size_t count, ParamValues& out, Failure& f);

// Path rules shared with resolved mount paths: absolute, normalised.
// Returns nullptr if fine, else the reason.
const char* path_problem(std::string_view s);

// A relative path with folders: components separated by '/', none empty,
// '.' or '..'; no leading or trailing '/'.
const char* relpath_problem(std::string_view s);

// `/`, or at or below a directory no caller-chosen target may enter (the
// kernel's views, the system's trees); compiler/vocab/system_dirs.h is the
// compiler's copy, held to this one by tests/vocab.
bool is_system_dir(std::string_view path);

// `HOST:TARGET` of a volume, split at the first ':'; false if there is none.
bool split_volume(std::string_view s, std::string_view* host, std::string_view* target);

}  // namespace stockade
