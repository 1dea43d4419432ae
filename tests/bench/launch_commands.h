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
  std::string policy;    // overrides the 0-bind policy name (launch_bench)
};

// What runs inside: /bin/true, or the static do-nothing program the fixture
// placed at the job's main.py (seen inside as /tmp/main.py).
enum class Job { True, Noop };

// The bench policies exist for 0, 20 and 80 extra binds only.
constexpr int kBindCounts[] = {0, 20, 80};
const char* policy_for_binds(int extra_binds);  // nullptr for other counts

// The fd number bubblewrap reads its seccomp program from.
constexpr int kBwrapSeccompFd = 10;

std::vector<std::string> plain_argv(const Tools& t);
std::vector<std::string> unshare_argv(const Tools& t);
// `unshare -n /bin/true`: a network namespace and nothing else, the floor
// under any launcher that gives the job `network none`.
std::vector<std::string> unshare_net_argv(const Tools& t);
std::vector<std::string> bwrap_argv(const Tools& t, const Fixture& fx, int extra_binds, Job job,
                                    bool with_seccomp);
std::vector<std::string> stockade_argv(const Tools& t, const Fixture& fx, int extra_binds, Job job);

}  // namespace stockade::bench
