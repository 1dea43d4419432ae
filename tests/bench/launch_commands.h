// SPDX-License-Identifier: Apache-2.0
// The argv of each thing the benchmark launches: plain /bin/true, unshare,
// bubblewrap with options equivalent to the bench policy, and stockade with
// the bench policy (tests/bench/launch.policy).
#pragma once

#include <string>
#include <vector>

#include "launch_fixture.h"

namespace stockade::bench {

struct Tools {
  std::string launcher;  // stockade built with tests/bench/launch.policy; empty: none
  std::string bwrap;     // empty: not installed
  std::string unshare;   // empty: not installed
  std::string true_path = "/bin/true";
  std::string policy;  // overrides the network-none policy name (launch_bench)
};

// The two network modes every launcher is measured in: none (a network
// namespace of its own) and host (the worker's).
enum class Net { None, Host };

// What runs inside: /bin/true, or the static do-nothing program the fixture
// placed at the job's main.py (seen inside as /tmp/main.py).
enum class Job { True, Noop };

// bubblewrap's extra binds (one option each, so they are few); stockade's
// are the python3 policy's per-dependency list (`bind each ${DEPS}`).
constexpr int kBwrapBindCounts[] = {0, 20, 80};
constexpr int kDepCounts[] = {0, 100, 500};

// The fd number bubblewrap reads its seccomp program from.
constexpr int kBwrapSeccompFd = 10;

std::vector<std::string> plain_argv(const Tools& t);
// The kernel's floor for each mode: `unshare -Urmpfn --mount-proc` (user,
// mount, pid, net namespaces and a fresh /proc) and `unshare -Urmpif`
// (user, mount, pid, ipc; the host's network).
std::vector<std::string> unshare_argv(const Tools& t, Net net);
std::vector<std::string> bwrap_argv(const Tools& t, const Fixture& fx, int extra_binds, Job job, bool with_seccomp,
                                    Net net = Net::None);
// launch_bench (python3's isolation, network none) or python3 itself
// (network host); `deps` > 0 passes the fixture's list of that many
// dependency folders as DEPS (python3 only).
std::vector<std::string> stockade_argv(const Tools& t, const Fixture& fx, Net net, Job job, int deps = 0);

}  // namespace stockade::bench
