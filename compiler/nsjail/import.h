// SPDX-License-Identifier: Apache-2.0
// `stockadec import-nsjail`: an nsjail config (protobuf text or JSON, with
// Windmill's `{PLACEHOLDER}`s) in, an idiomatic .policy out. Every nsjail
// field is translated or reported as a warning; nsjail's silent defaults are
// written out with a comment. The mapping: docs/migrating-from-nsjail.md.
#pragma once

#include <string>

#include "diag/diagnostics.h"

namespace stockade::nsjail {

struct ImportOptions {
  std::string name;  // policy name; default: derived from the file name
};

// Reads an nsjail config (protobuf text format, or JSON if the text starts
// with '{'), writes an idiomatic .policy into `policy_text`. Warnings and
// errors go into `sink` with file:line where known. False on errors.
bool import_config(const std::string& path, const std::string& text, const ImportOptions& opts, diag::Sink& sink,
                   std::string& policy_text);

// run.python3.config.proto -> python3, download.py.pip.config.proto ->
// download_py_pip: the base name without ".config.proto" / ".proto" /
// ".json" / ".cfg" and a leading "run.", other characters as '_'.
std::string policy_name_from_path(const std::string& path);

}  // namespace stockade::nsjail
