// SPDX-License-Identifier: Apache-2.0
// --param-file NAME=FILE: the bulk form of a list param, for the hundreds of
// per-dependency binds a job can have. Each line of FILE is one value of
// NAME (a trailing newline is optional, empty lines are skipped); the lines
// become ordinary NAME=VALUE arguments, validated like --param values.
#pragma once

#include "cli.h"
#include "fail.h"
#include "text.h"

namespace stockade {

// Copies cli.params into `*out` (allocated in `arena`) with each FileOption
// replaced by one FileLine argument per line of its file. False with `f`
// filled when a file cannot be read, is larger than kMaxParamFileBytes, or
// the values exceed kMaxParamArgs (exit 121).
bool expand_param_files(const Cli& cli, Arena& arena, const ParamArg** out, size_t* count, Failure& f);

}  // namespace stockade
