// SPDX-License-Identifier: Apache-2.0
// The launcher's help: `stockade --help`, `stockade help [COMMAND]` and
// `stockade COMMAND --help`. Plain text, kept apart from the parser (cli.cc).
#pragma once

#include <string_view>

namespace stockade {

// The help for `topic` ("run", "show", "list", "help"; empty: the overview),
// or an empty view for an unknown topic.
std::string_view help_text(std::string_view topic);

// The exit-code table, printed after the overview and `run`'s help.
std::string_view help_exit_codes();

// True for the words that ask for help: --help, -h.
inline bool is_help_flag(std::string_view a) { return a == "--help" || a == "-h"; }

}  // namespace stockade
