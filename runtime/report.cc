#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "io.h"
#include "text.h"

namespace stockade {

bool write_report(const char* path, int fd, const JobResult& r, Failure& f) {
  if (path == nullptr && fd < 0) return true;
  // 16 logged entries of at most ~250 bytes each, plus the rest.
  Text<6144> json;
  json.add("{\"status\": ").add_i64(r.status);
  json.add(", \"reason\": \"").add(r.reason).add('"');
  json.add(", \"signal\": ");
  if (r.signal != 0) json.add_i64(r.signal);
  else json.add("null");
  json.add(", \"wall_ms\": ").add_u64(r.wall_ms);
  json.add(", \"user_ms\": ").add_u64(r.user_ms);
  json.add(", \"sys_ms\": ").add_u64(r.sys_ms);
  json.add(", \"peak_memory_bytes\": ").add_u64(r.peak_memory_bytes);
  add_seccomp_fields(json, r.seccomp);
  json.add("}\n");
  if (json.truncated()) return fail_reason(f, "report", "json", "", "longer than its buffer");
  if (path != nullptr) {
    // The report often lands in the job's own (read-write) directory, where
    // the job may have left a symlink or a FIFO under the report's name.
    // So never open that name: write a fresh file beside it (O_EXCL,
    // O_NOFOLLOW) and rename it over whatever is there.
    Text<4200> tmp;
    tmp.add(path).add(".stockade-").add_u64(static_cast<uint64_t>(getpid()));
    if (tmp.truncated()) return fail_reason(f, "report", "path", path, "too long");
    Fd file(openat(AT_FDCWD, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644));
    if (!file.ok()) return fail(f, "report", "open", tmp.view(), errno);
    int err = write_all(file.get(), json.view());
    if (err == 0 && rename(tmp.c_str(), path) != 0) err = errno;
    if (err != 0) {
      unlink(tmp.c_str());
      return fail(f, "report", "write", path, err);
    }
  }
  if (fd >= 0) {
    if (int err = write_all(fd, json.view())) {
      Text<24> v;
      v.add("fd ").add_i64(fd);
      return fail(f, "report", "write", v.view(), err);
    }
  }
  return true;
}

}  // namespace stockade
