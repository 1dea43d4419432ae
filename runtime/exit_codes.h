// SPDX-License-Identifier: Apache-2.0
// The launcher's exit codes. The job's own exit code passes through
// unchanged; everything the launcher decides itself is listed here, one code
// per failure class, so a worker can tell "the job failed" from "the sandbox
// could not be built". README lists the same table.
#pragma once

namespace stockade {

enum class Exit : int {
  Ok = 0,
  // 1..119: the job's own exit code, passed through.
  Usage = 120,          // bad command line: unknown option, unknown policy, no program
  BadParam = 121,       // a --param is unknown, missing, malformed or out of range
  SetupFailed = 122,    // a set-up step (cgroup, namespaces, mounts, ...) failed before execve
  MemoryLimit = 123,    // the job was killed by the cgroup memory limit (OOM killer)
  TimeLimit = 124,      // the policy's wall-time limit expired; the sandbox was killed
  Internal = 125,       // the launcher itself failed (a bug or an unexpected kernel answer)
  NotExecutable = 126,  // execve failed: the program exists but cannot be executed
  NotFound = 127,       // execve failed: the program does not exist
  SignalBase = 128,     // the job died of signal N: 128 + N (SIGSYS = 159: seccomp kill)
};

constexpr int code(Exit e) { return static_cast<int>(e); }

}  // namespace stockade
