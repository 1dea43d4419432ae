#include "report.h"

#include <errno.h>
#include <fcntl.h>

#include "io.h"
#include "text.h"

namespace stockade {

bool write_report(const char* path, int fd, const JobResult& r, Failure& f) {
  if (path == nullptr && fd < 0) return true;
  Text<512> json;
  json.add("{\"status\": ").add_i64(r.status);
  json.add(", \"reason\": \"").add(r.reason).add('"');
  json.add(", \"signal\": ");
  if (r.signal != 0) json.add_i64(r.signal);
  else json.add("null");
  json.add(", \"wall_ms\": ").add_u64(r.wall_ms);
  json.add(", \"user_ms\": ").add_u64(r.user_ms);
  json.add(", \"sys_ms\": ").add_u64(r.sys_ms);
  json.add(", \"peak_memory_bytes\": ").add_u64(r.peak_memory_bytes);
  json.add("}\n");
  if (path != nullptr) {
    Fd file(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644));
    if (!file.ok()) return fail(f, "report", "open", path, errno);
    if (int err = write_all(file.get(), json.view())) return fail(f, "report", "write", path, err);
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
