// SPDX-License-Identifier: Apache-2.0
// The resolved plan: the policy's tables evaluated against the parameter
// values (conditions, last-applicable-wins settings, templates, numbers from
// params) in the parent, before any namespace work. The sandbox child only
// applies a Plan; it never looks at a table again.
#pragma once

#include <stdint.h>

#include "capacity.h"
#include "fail.h"
#include "params.h"
#include "policy_table.h"
#include "text.h"

namespace stockade {

constexpr int kNamespaceCount = 8;
constexpr int kRlimitCount = 10;
constexpr int kCgroupLimitCount = 4;

struct PlanMount {
  table::MountKind kind;
  uint32_t flags;      // table::MountFlag bits
  const char* source;  // Bind, DevNode: host path; Symlink: link content
  // Bind, DevNode: how much of `source` may follow symlinks: the first
  // template segment (the policy's literal or the worker's path param).
  // Anything after it lies inside a directory a job may have written, so it
  // is resolved with no symlinks at all.
  size_t source_trusted_len;
  const char* target;   // absolute path inside the sandbox
  uint64_t size;        // Tmpfs bytes, 0 = kernel default
  uint32_t mode;        // 0 = kind's default
  const char* content;  // File
  size_t content_len;
  // Bind with kMountFollow: the root (the worker's cache) that a source
  // which is a symlink may resolve beneath; nullptr: a link is refused.
  const char* follow;
};

struct PlanIdMap {
  uint32_t inside;
  uint32_t outside;
  uint32_t count;
};

struct PlanRlimit {
  bool set;  // false: inherit the launcher's value
  uint64_t soft;
  uint64_t hard;
};

struct PlanCgroup {
  bool set;
  uint64_t value;
};

// The trusted prefix of a source template (see PlanMount); exposed for tests.
size_t trusted_prefix_len(const table::Template& source, const ParamValues& values);

struct Plan {
  const table::Policy* policy = nullptr;
  const char* hostname = nullptr;  // nullptr: leave as is
  const char* cwd = "/";
  uint64_t time_limit_ms = 0;     // 0: none
  bool ns[kNamespaceCount] = {};  // indexed by table::Namespace
  table::Network network = table::Network::None;
  const table::Egress* egress = nullptr;  // Filtered: the rules (runtime/egress/)
  PlanIdMap uid_map[kMaxIdMaps];
  uint32_t uid_map_count = 0;
  PlanIdMap gid_map[kMaxIdMaps];
  uint32_t gid_map_count = 0;
  PlanMount* mounts = nullptr;  // kMaxMounts rows in the arena (list binds make hundreds)
  uint32_t mount_count = 0;
  PlanRlimit rlimits[kRlimitCount] = {};      // indexed by table::Rlimit
  PlanCgroup cgroup[kCgroupLimitCount] = {};  // indexed by table::CgroupLimit
  // RLIMIT_DATA, which no policy sets: the launcher's stand-in for the
  // memory limit where no cgroup can hold it (rlimits.h).
  PlanRlimit data = {};
  // The memory limit in bytes where the launcher's watchdog holds it
  // (supervisor.h); 0: a cgroup does, or there is none.
  uint64_t memory_watch = 0;
  char** envp = nullptr;  // NULL-terminated, in the arena
  char** argv = nullptr;  // the program and its arguments
  bool learn = false;     // --learn: every call the filter allows is reported too
};

// `environ` is the launcher's environment (for `keep` and `pass`).
bool resolve_plan(const table::Policy& policy, const ParamValues& values, char** environ_in, char** argv, Arena& arena,
                  Plan& plan, Failure& f);

inline bool ns_on(const Plan& p, table::Namespace n) { return p.ns[static_cast<int>(n)]; }

}  // namespace stockade
