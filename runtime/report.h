// `--report FILE` / `--report-fd N`: one JSON object describing how the job
// ended, for the worker.
#pragma once

#include <stdint.h>

#include "fail.h"
#include "seccomp/report_fields.h"

namespace stockade {

struct JobResult {
  int status = 0;              // the launcher's exit code
  const char* reason = "";     // exited | signaled | timeout | oom | seccomp | setup-failed
  int signal = 0;              // 0: null
  uint64_t wall_ms = 0;
  uint64_t user_ms = 0;
  uint64_t sys_ms = 0;
  uint64_t peak_memory_bytes = 0;
  SeccompFields seccomp;  // syscall, logged (seccomp/report_fields.h)
};

bool write_report(const char* path, int fd, const JobResult& r, Failure& f);

}  // namespace stockade
