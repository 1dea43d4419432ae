// SPDX-License-Identifier: Apache-2.0
#include "mount_points.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string_view>

#include "text.h"

namespace stockade {

void MountPoints::forget(int depth) {
  while (depth_ > depth) close(fd_[--depth_]);
  path_[depth_ == 0 ? 0 : end_[depth_ - 1]] = '\0';
}

int MountPoints::parent(const char* target, const char** last, Failure& f) {
  const char* rel = target + 1;
  const char* slash = strrchr(rel, '/');
  *last = slash == nullptr ? rel : slash + 1;
  std::string_view dir(rel, slash == nullptr ? 0 : static_cast<size_t>(slash - rel));
  if (**last == '\0' || dir.size() >= sizeof path_)
    return fail_reason(f, Step::Mounts, "mount point", target, "not a normalised path below /"), -1;

  // Keep the cached components that are a prefix of `dir`.
  int keep = 0;
  while (keep < depth_) {
    size_t end = static_cast<size_t>(end_[keep]);
    bool same = end <= dir.size() && memcmp(path_, dir.data(), end) == 0 && (end == dir.size() || dir[end] == '/');
    if (!same) break;
    ++keep;
  }
  forget(keep);

  size_t at = depth_ == 0 ? 0 : static_cast<size_t>(end_[depth_ - 1]) + 1;
  while (!dir.empty() && at <= dir.size()) {
    size_t end = dir.find('/', at);
    if (end == std::string_view::npos) end = dir.size();
    if (depth_ == kMaxDepth)
      return fail_reason(f, Step::Mounts, "mount point", target, "more than 64 directories deep"), -1;
    Text<256> comp;
    comp.add(dir.substr(at, end - at));
    int base = depth_ == 0 ? root_ : fd_[depth_ - 1];
    if (mkdirat(base, comp.c_str(), 0755) != 0 && errno != EEXIST)
      return fail(f, Step::Mounts, "mkdir", target, errno), -1;
    int next = openat(base, comp.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY);
    if (next < 0) return fail(f, Step::Mounts, "open", target, errno), -1;
    fd_[depth_] = next;
    end_[depth_] = static_cast<int>(end);
    ++depth_;
    memcpy(path_, dir.data(), end);
    path_[end] = '\0';
    at = end + 1;
  }
  return depth_ == 0 ? root_ : fd_[depth_ - 1];
}

}  // namespace stockade
