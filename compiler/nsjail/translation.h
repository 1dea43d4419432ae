// SPDX-License-Identifier: Apache-2.0
// The state of one import: the parsed config, the policy being drafted, the
// uses of each placeholder (their types are decided from these at the end)
// and which config fields have been dealt with, so that a field nobody
// translated or reported is caught instead of dropped.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "draft.h"
#include "parse_config.h"

namespace stockade::nsjail {

// How a placeholder is used; decides its param type.
enum class Use { PathStart, PathInside, Text, Size, Duration, Count, Bool };

struct ParamUse {
  std::string name;
  Use use = Use::Text;
  bool only_if_present = false;  // inside an optional bind: unset may mean "absent"
  std::string note;              // e.g. the unit nsjail used for this slot
};

struct Translation {
  Translation(const ParsedConfig& parsed, diag::Sink& s) : cfg(parsed), sink(s) {}

  const ParsedConfig& cfg;
  diag::Sink& sink;
  Draft draft;
  std::vector<ParamUse> uses;
  std::set<std::string> handled;  // field keys ("mount[2].rw") translated or reported

  // `file:line: warning: field X is not supported: why`, and marks it handled.
  void unsupported(const std::string& key, const std::string& why);
  void done(const std::string& key) { handled.insert(key); }
};

// --- value rendering (values.cc) ---------------------------------------

// A path token: normalised, unquoted when the language allows it, `${NAME}`
// for placeholders. Empty (and an error reported) when it is not absolute.
std::string render_path(Translation& t, const std::string& raw, const std::string& key, bool optional_use);
// A quoted string with `${NAME}` for placeholders and escapes for the rest.
std::string render_text(Translation& t, const std::string& raw);
// The raw text with placeholders written back as `{NAME}` (for comments).
std::string restore_placeholders(const Translation& t, const std::string& raw);
// A size from an nsjail number in `unit` bytes (e.g. 1 << 20 for MiB).
std::string render_size(Translation& t, uint64_t value, uint64_t unit, const std::string& unit_name);
std::string render_count(Translation& t, uint64_t value);
std::string render_seconds(Translation& t, uint64_t value);
// The param a bool field was given by, or "" when it holds a plain value.
std::string bool_param(Translation& t, const std::string& key);

// --- sections (one file each) --------------------------------------------
void translate_settings(Translation& t);       // name, mode, hostname, cwd, time, network, namespaces, id maps
void translate_mounts(Translation& t);         // mount, mount_proc
void translate_limits(Translation& t);         // rlimit_*, disable_rl, cgroup_*
void translate_process(Translation& t);        // env, caps, privileges, session, fds, seccomp, the rest
void translate_fragments(Translation& t);      // Windmill's whole-statement placeholders
void translate_network_rules(Translation& t);  // traffic_rule, user_net -> network filtered (network_rules.cc)
void declare_params(Translation& t);           // from `uses`: one typed param per placeholder

}  // namespace stockade::nsjail
