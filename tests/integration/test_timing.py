# SPDX-License-Identifier: Apache-2.0
"""How long the launcher takes around a job that does nothing: printed for
the record, and bounded so a regression to seconds is noticed."""

import statistics

from harness import ProbeTest, run_probe


class TimingTest(ProbeTest):
    def test_start_to_exit_overhead(self):
        for policy in ("probe", "probe_seccomp", "probe_cgroup"):
            runs = []
            for _ in range(15):
                out = run_probe(policy, "exit", "0")
                self.assertExit(out, 0, policy)
                runs.append(out.wall_s * 1000)
            median = statistics.median(runs)
            print("\nmeasured: %s: exit 0 in a sandbox takes %.1f ms median, %.1f ms max over %d runs"
                  % (policy, median, max(runs), len(runs)))
            self.assertLess(median, 500, policy)
