// SPDX-License-Identifier: Apache-2.0
// `--report FILE` / `--report-fd N`: one JSON object describing how the
// launcher ended, for the worker (docs/report.schema.json; README,
// "--report"). Every way a `run` ends writes one, option errors included
// (where the option gave a destination before the error).
//
// The file cannot be lost or forged by the job. It is opened before the job
// starts (open_report): the directory by fd, the file itself created or
// truncated there, refused when the name is a symlink (O_NOFOLLOW), not a
// regular file, or has other hard links. At the end the report is written
// through that fd; if the job, which may be able to write the directory,
// has since put something else at the name (a forged file, a symlink, a
// directory), a fresh file is written beside it and exchanged with it
// (renameat2 RENAME_EXCHANGE; the job's entry is moved to a random name
// and named on stderr). So the name holds the launcher's report or, where
// even that fails, no report: one stderr line, and the exit code stays
// what it would have been, so the job's own status is never hidden.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli.h"
#include "fail.h"
#include "io.h"
#include "policy_table.h"
#include "seccomp/report_fields.h"

namespace stockade {

struct ParamValues;

struct JobResult {
  int status = 0;  // the launcher's exit code
  // exited | signaled | timeout | oom | seccomp | usage | bad-param |
  // setup-failed | exec-failed | internal
  const char* reason = "";
  int signal = 0;  // 0: null
  uint64_t wall_ms = 0;
  uint64_t user_ms = 0;
  uint64_t sys_ms = 0;
  uint64_t peak_memory_bytes = 0;
  const char* memory_bound = nullptr;  // oom: "cgroup" or "watchdog" (supervisor.h); else null
  SeccompFields seccomp;               // syscall, logged (seccomp/report_fields.h)
  Failure failure{};                   // step != None: the report's step, message, path / param
};

// What every report carries besides the result.
struct ReportContext {
  const char* policy = nullptr;  // as given on the command line (null before it)
  const char* version = "";
  const table::Policy* table = nullptr;  // with `values`: the validated params, defaults applied
  const ParamValues* values = nullptr;
  const ParamArg* args = nullptr;  // else the --param arguments as given
  size_t arg_count = 0;
};

// Where the report goes; both may be set.
struct ReportSink {
  const char* path = nullptr;  // --report FILE
  int fd = -1;                 // --report-fd N (the worker's)
  Fd dir;                      // the file's directory, opened before the job
  Fd file;                     // the file, opened before the job
  char name[256] = {};         // the file's name in `dir`
  dev_t dev = 0;
  ino_t ino = 0;
  bool opened = false;
};

// Before the job starts: opens (and empties) the report file, checks
// --report-fd is open for writing and not one the policy passes to the job.
// False with `f` filled (Step::Report, exit 120).
bool open_report(ReportSink& sink, const table::List<uint32_t>* pass_fds, Failure& f);

// Writes the report to the file and the fd (opening the file first if
// open_report has not run: a failure before the job). False with `f`
// filled; the caller prints it and keeps its exit code.
bool write_report(ReportSink& sink, const ReportContext& ctx, const JobResult& r, Failure& f);

// The report JSON into `fd` (0 or errno). For tests.
int emit_report(int fd, const ReportContext& ctx, const JobResult& r);

}  // namespace stockade
