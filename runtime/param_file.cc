// SPDX-License-Identifier: Apache-2.0
#include "param_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <string_view>

#include "io.h"

namespace stockade {
namespace {

constexpr Step kStep = Step::Param;

// Reads all of `path` into the arena, NUL-terminated.
bool read_whole(const char* path, Arena& arena, std::string_view* out, Failure& f) {
  Fd fd(openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd.ok()) return fail(f, kStep, "--param-file", path, errno);
  char* buf = static_cast<char*>(arena.alloc(kMaxParamFileBytes + 1, 1));
  if (buf == nullptr) return fail_reason(f, kStep, "--param-file", path, "the launcher's arena is full");
  size_t used = 0;
  for (;;) {
    ssize_t n = read(fd.get(), buf + used, kMaxParamFileBytes + 1 - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(f, kStep, "--param-file", path, errno);
    if (n == 0) break;
    used += static_cast<size_t>(n);
    if (used > kMaxParamFileBytes) return fail_reason(f, kStep, "--param-file", path, "larger than 1 MiB");
  }
  buf[used] = '\0';
  *out = std::string_view(buf, used);
  return true;
}

}  // namespace

bool expand_param_files(const Cli& cli, Arena& arena, const ParamArg** out, size_t* count, Failure& f) {
  bool any = false;
  for (size_t i = 0; i < cli.param_count; ++i) any = any || cli.params[i].source == ParamSource::FileOption;
  if (!any) {  // the common case: nothing to copy
    *out = cli.params;
    *count = cli.param_count;
    return true;
  }
  ParamArg* args = arena.alloc_array<ParamArg>(kMaxParamArgs);
  if (args == nullptr) return fail_reason(f, kStep, "--param-file", "", "the launcher's arena is full");
  size_t n = 0;
  auto push = [&](const char* text, ParamSource source) {
    if (n == kMaxParamArgs) return fail_reason(f, kStep, "--param", "", "more than 2048 values in all");
    args[n++] = {text, source};
    return true;
  };
  for (size_t i = 0; i < cli.param_count; ++i) {
    const ParamArg& a = cli.params[i];
    if (a.source != ParamSource::FileOption) {
      if (!push(a.text, a.source)) return false;
      continue;
    }
    std::string_view spec = a.text;
    size_t eq = spec.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size())
      return fail_reason(f, kStep, "--param-file", spec.substr(0, 300), "expected NAME=FILE");
    std::string_view name = spec.substr(0, eq + 1);  // with its '='
    std::string_view text;
    if (!read_whole(a.text + eq + 1, arena, &text, f)) return false;
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (line.empty()) continue;
      if (line.find('\0') != std::string_view::npos)
        return fail_reason(f, kStep, "--param-file", a.text + eq + 1, "holds a NUL byte");
      char* entry = static_cast<char*>(arena.alloc(name.size() + line.size() + 1, 1));
      if (entry == nullptr) return fail_reason(f, kStep, "--param-file", "", "the launcher's arena is full");
      memcpy(entry, name.data(), name.size());
      memcpy(entry + name.size(), line.data(), line.size());
      entry[name.size() + line.size()] = '\0';
      if (!push(entry, ParamSource::FileLine)) return false;
    }
  }
  *out = args;
  *count = n;
  return true;
}

}  // namespace stockade
