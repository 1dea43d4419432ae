// How every step reports failure: a Failure names the step, the call or the
// thing that failed, the path or value involved, and either the saved errno
// or a short reason. It is plain data so the sandbox child can send it to the
// parent over the set-up pipe, and the parent prints it as one line:
//   stockade: <step>: <what> <value>: <strerror or reason>[; hint: ...]
#pragma once

#include <string_view>

namespace stockade {

struct Failure {
  char step[32];
  char what[64];
  char value[1024];
  char reason[160];  // used when err == 0
  int err;           // saved errno, 0 if the failure is not a syscall error
};

// Fills `f` and returns false, so a step can `return fail(...)`. Callers pass
// errno saved right after the failing call.
bool fail(Failure& f, std::string_view step, std::string_view what, std::string_view value, int err);
bool fail_reason(Failure& f, std::string_view step, std::string_view what, std::string_view value,
                 std::string_view reason);

class TextBuf;
// The one-line message, newline included.
void format_failure(const Failure& f, TextBuf& out);
// Writes the one-line message (plus a hint where errno misleads) to stderr.
void print_failure(const Failure& f);

// Writes "stockade: <text>\n" to stderr (notes such as skipped cgroups).
void print_note(std::string_view text);

}  // namespace stockade
