// SPDX-License-Identifier: Apache-2.0
// How every step reports failure: a Failure names the step, the call or the
// thing that failed, the path or value involved, and either the saved errno
// or a short reason. It is plain data so the sandbox child can send it to the
// parent over the set-up pipe whole, and the parent prints it as one line:
//   stockade: <step>: <what> <value>: <strerror or reason>[; hint: ...]
// The step is an enum: one table (fail.cc) gives each step its name, the
// exit code a failure there means and the report's `reason`; hints are a
// second table keyed by (step, errno).
#pragma once

#include <stdint.h>

#include <string_view>

#include "exit_codes.h"

namespace stockade {

enum class Step : uint8_t {
  None,  // no failure
  Usage,
  Param,
  Env,
  Plan,
  Report,
  Show,  // before set-up: 120, 121, 125
  Fds,
  Cgroup,
  CgroupJoin,
  Supervisor,
  Channel,
  Namespaces,
  Idmap,  // the parent's set-up: 122
  Release,
  Mounts,
  Proc,
  Ids,
  Init,
  Keyring,
  Hostname,
  Network,  // the sandbox child: 122
  Rlimits,
  Cwd,
  Session,
  Capabilities,
  NoNewPrivs,
  Landlock,
  Seccomp,  // the job before execve: 122
  Execve,   // 126 / 127
  Count,
};

// What a Failure's `value` is, for the report's `path` / `param` fields.
enum class Subject : uint8_t { Other, Path, Param };

struct Failure {
  Step step = Step::None;
  Subject subject = Subject::Other;
  char what[64];
  char value[1024];
  char reason[160];  // used when err == 0
  int err;           // saved errno, 0 if the failure is not a syscall error
};

// Fills `f` and returns false, so a step can `return fail(...)`. Callers pass
// errno saved right after the failing call. The subject is a path when the
// value is absolute, else Other.
bool fail(Failure& f, Step step, std::string_view what, std::string_view value, int err);
bool fail_reason(Failure& f, Step step, std::string_view what, std::string_view value, std::string_view reason);
// The same for NUL-terminated strings (literals, c_str()): the lengths are
// counted once here instead of at each of ~120 call sites (size budget).
bool fail(Failure& f, Step step, const char* what, const char* value, int err);
bool fail_reason(Failure& f, Step step, const char* what, const char* value, const char* reason);
// A --param problem: `nv` is "NAME=VALUE" or "NAME"; the report names the
// param (Step::Param, exit 121).
bool fail_param(Failure& f, std::string_view what, std::string_view nv, std::string_view reason);

// The step's table row.
std::string_view step_name(Step s);
// The launcher's exit code for a failure: the step's, or a (step, errno)
// override (execve's ENOENT is 127).
Exit exit_for(const Failure& f);
// The report's `reason` for a failure before the job ran: usage,
// bad-param, setup-failed, exec-failed, internal.
const char* reason_for(const Failure& f);
// The hint for (step, errno), nullptr where the errno says enough.
const char* hint_for(Step s, int err);
// The param a Param failure names ("NAME" of "NAME=VALUE"), empty otherwise.
std::string_view failure_param(const Failure& f);

class TextBuf;
// The one-line message, newline included.
void format_failure(const Failure& f, TextBuf& out);
// The message alone: no "stockade: " prefix, no newline (the report's `message`).
void format_failure_message(const Failure& f, TextBuf& out);
// Writes the one-line message (plus a hint where errno misleads) to stderr.
void print_failure(const Failure& f);

// Writes "stockade: <text>\n" to stderr (notes such as skipped cgroups).
void print_note(std::string_view text);

}  // namespace stockade
