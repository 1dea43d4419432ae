// SPDX-License-Identifier: Apache-2.0
// The policy being written, as statements grouped by section, before it is
// rendered to .policy text. Translation fills it; render() prints it in the
// order language.md uses, so the output reads like a hand-written policy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stockade::nsjail {

// One statement (or, with empty `text`, a comment line) and its `#` comment.
struct Line {
  std::string text;
  std::string comment;
  uint32_t source_line = 0;  // line of the nsjail config it came from (ordering)
  std::string target;        // mounts: the target as written, for the overlap check
  bool conditional = false;  // mounts: has an `if`, or uses an optional param
};

struct ParamDecl {
  std::string name;
  std::string type;  // "path", "name", "string", "int", "size", "duration", "bool"
  bool optional = false;
  std::string default_text;  // as written after '=', empty = none
  std::string comment;
};

struct Draft {
  std::string name;
  std::vector<std::string> header;  // comment lines above the policy
  std::vector<ParamDecl> params;
  std::vector<Line> settings;  // hostname, cwd, time_limit, network
  std::vector<Line> namespaces;
  std::vector<Line> id_maps;
  std::vector<Line> mounts;
  std::vector<Line> limits;
  std::vector<Line> cgroup;
  std::vector<Line> env;
  std::vector<Line> capabilities;
  std::vector<Line> process;        // no_new_privs, session, pass_fd
  std::string seccomp;              // Kafel text, empty = no block
  std::vector<std::string> footer;  // comments after the last statement

  ParamDecl* find_param(const std::string& param_name);
};

std::string render(const Draft& d);

}  // namespace stockade::nsjail
