# SPDX-License-Identifier: Apache-2.0
"""Bun (npm @oven/bun-linux-x64) in the shipped `bun` policy: a TypeScript
job, and a JIT-heavy one that reserves more address space than the 4096 MiB
rlimit_as that Windmill's other jobs get (Windmill sets none for Bun because
an address-space limit breaks JavaScriptCore)."""

import os
import unittest

import jobkit

FOUR_GIB_IN_KIB = 4096 * 1024
# Enough for the JIT to compile the loop; small enough that i * 2654435761
# stays below 2**53, so JavaScript's doubles compute it exactly.
ITERATIONS = 3000000


class BunJob(jobkit.JobTest):
    def setUp(self):
        jobkit.tool_dir_usable(self)
        self.bun = jobkit.npm_binary(self, jobkit.BUN_PACKAGE, "bin/bun")
        self.binds = [(os.path.dirname(self.bun), jobkit.TOOL_DIR)]
        self.program = os.path.join(jobkit.TOOL_DIR, "bun")

    def test_typescript_job_computes_and_writes_result(self):
        job = jobkit.Job(self, "bun", {"text": self.TEXT, "n": self.N})
        run = job.run("bun", [self.program, "run", "/tmp/bun/wrapper.mjs"], host_binds=self.binds,
                      env={"BUN_INSTALL_CACHE_DIR": "/tmp/bun/.cache"})
        self.assertSucceeded(run)
        self.assertComputed(run, run.result)
        self.assertSandboxView(run, run.result.get("sandbox"), "bun", "/tmp/bun")

    def test_jit_job_is_not_broken_by_an_address_space_limit(self):
        job = jobkit.Job(self, "bun_jit", {"iterations": ITERATIONS, "memories": 8})
        run = job.run("bun", [self.program, "run", "/tmp/bun/wrapper.mjs"], host_binds=self.binds)
        self.assertSucceeded(run)
        result = run.result
        self.assertIsNotNone(result, run.describe())
        self.assertEqual(result.get("acc"), expected_acc(ITERATIONS), run.describe())
        self.assertEqual(result.get("memories"), 8, run.describe())
        self.assertEqual(result.get("grown_bytes"), (16 + 1024) * 65536, run.describe())
        # The policy sets no address-space limit, and the job really used
        # more virtual memory than a 4096 MiB limit would have allowed.
        self.assertEqual(result.get("as_limit"), "unlimited", run.describe())
        self.assertGreater(result.get("vm_peak_kib"), FOUR_GIB_IN_KIB, run.describe())


def expected_acc(iterations):
    """main.ts's loop, in Python, with the same 53-bit-exact arithmetic."""
    acc = 0
    for i in range(iterations):
        acc = (acc + ((i * 2654435761) % 1000003)) % 1000000007
    return acc


if __name__ == "__main__":
    unittest.main()
