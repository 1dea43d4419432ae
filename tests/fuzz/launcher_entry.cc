// SPDX-License-Identifier: Apache-2.0
// The launcher's command line as the launcher reads it: parse_cli, then
// --param-file expansion, parameter validation against the runtime unit
// tests' tables (`run layout ...` picks the list/volume table, any other
// name the scalar one) and the plan those values resolve to. Nothing here
// sets anything up; the only file touched is the harness's own param file.
#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "cli.h"
#include "entry_points.h"
#include "param_file.h"
#include "params.h"
#include "plan.h"
#include "test_tables.h"
#include "text.h"

namespace stockade::fuzz {
namespace {

// One scratch file per process, rewritten for every input: every
// --param-file in the input reads it, whatever path the input names.
const std::string& param_file_path() {
  static const std::string path = [] {
    const char* dir = getenv("TMPDIR");
    std::string templ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/stockade-fuzz-XXXXXX";
    int fd = mkstemp(templ.data());
    if (fd >= 0) close(fd);
    return templ;
  }();
  return path;
}

void write_param_file(std::string_view content) {
  FILE* f = fopen(param_file_path().c_str(), "wb");
  if (f == nullptr) return;
  fwrite(content.data(), 1, content.size(), f);
  fclose(f);
}

}  // namespace

void launcher_args(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view file_content;
  size_t split = in.find(std::string_view("\0\0", 2));
  if (split != std::string_view::npos) {
    file_content = in.substr(split + 2);
    in = in.substr(0, split);
  }
  std::vector<std::string> words{"stockade"};
  while (!in.empty() && words.size() < 4096) {
    size_t nul = in.find('\0');
    words.emplace_back(in.substr(0, nul));
    in = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  }
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  Cli cli;
  Failure f{};
  Text<2048> line;
  if (!parse_cli(static_cast<int>(words.size()), argv.data(), cli, f)) {
    format_failure(f, line);
    return;
  }
  // Point every --param-file at the scratch file.
  std::vector<std::string> file_specs;
  file_specs.reserve(cli.param_count);
  for (size_t i = 0; i < cli.param_count; ++i) {
    if (cli.params[i].source != ParamSource::FileOption) continue;
    std::string_view spec = cli.params[i].text;
    size_t eq = spec.find('=');
    if (eq == std::string_view::npos || eq + 1 == spec.size()) continue;  // refused as written
    file_specs.push_back(std::string(spec.substr(0, eq + 1)) + param_file_path());
    cli.params[i].text = file_specs.back().c_str();
  }
  write_param_file(file_content);

  static std::vector<char> arena_bytes(8 << 20);
  Arena arena(arena_bytes.data(), arena_bytes.size());
  const ParamArg* args = nullptr;
  size_t count = 0;
  if (!expand_param_files(cli, arena, &args, &count, f)) {
    format_failure(f, line);
    return;
  }
  const table::Policy& policy =
      cli.policy != nullptr && std::string_view(cli.policy) == "layout" ? testing::kLayoutPolicy : testing::kTestPolicy;
  static ParamValues values;
  values = ParamValues{};
  if (!validate_params(policy, args, count, values, f)) {
    format_failure(f, line);
    return;
  }
  char prog[] = "/bin/true";
  char* default_argv[] = {prog, nullptr};
  char path_var[] = "PATH=/usr/bin:/bin";
  char home_var[] = "HOME=/root";
  char* env[] = {path_var, home_var, nullptr};
  static Plan plan;
  plan = Plan{};
  if (!resolve_plan(policy, values, env, cli.program_argv != nullptr ? cli.program_argv : default_argv, arena, plan, f))
    format_failure(f, line);
}

}  // namespace stockade::fuzz
