# SPDX-License-Identifier: Apache-2.0
"""Deno (npm @deno/linux-x64-glibc) in the shipped `deno` policy, run the way
the current deno executor runs it: from the job directory, with the job
directory's host path on the command line and Deno's permission flags. The
wrapper main.ts runs the user's inner.ts, V8's JIT under the policy's
address-space limit (64 GiB by default: Deno 2 does not start under the
4096 MiB of Windmill's config)."""

import os
import unittest

import jobkit

DEFAULT_AS_LIMIT = 64 << 30   # policies/deno.policy, AS_LIMIT


class DenoJob(jobkit.JobTest):
    def setUp(self):
        jobkit.tool_dir_usable(self)
        deno = jobkit.npm_binary(self, jobkit.DENO_PACKAGE, "deno")
        self.binds = [(os.path.dirname(deno), jobkit.TOOL_DIR)]

    def run_deno(self, params=None, allow_all=False):
        job = jobkit.Job(self, "deno", {"text": self.TEXT, "n": self.N})
        deno = os.path.join(jobkit.TOOL_DIR, "deno")
        program = [deno, "run", "--no-check", "--no-config", "--allow-net", "--allow-sys",
                   "--allow-read=./,/tmp/windmill/cache/deno/,/root," + deno,
                   "--allow-write=./", "--allow-env", os.path.join(job.dir, "main.ts")]
        if allow_all:   # Deno lets only -A read /proc/self/limits
            program[2:-1] = ["--no-check", "--no-config", "--allow-all"]
        self.job = job
        return job.run("deno", program, params=params, host_binds=self.binds,
                       env={"DENO_NO_UPDATE_CHECK": "1", "HOME": job.dir})

    def test_computes_and_writes_result(self):
        run = self.run_deno()
        self.assertSucceeded(run)
        self.assertComputed(run, run.result)
        self.assertSandboxView(run, run.result.get("sandbox"), "deno", self.job.dir)

    def test_address_space_limit(self):
        run = self.run_deno(allow_all=True)
        self.assertSucceeded(run)
        self.assertEqual(run.result.get("as_limit"), str(DEFAULT_AS_LIMIT), run.describe())

    def test_windmills_address_space_limit_stops_deno(self):
        """Why the default is not Windmill's 16000 MiB: a worker that sets it
        (AS_LIMIT is a param) gets a Deno that cannot reserve its heap."""
        run = self.run_deno({"AS_LIMIT": "16000MiB"})
        self.assertNotEqual(run.returncode, 0, run.describe())
        self.assertIn("out of memory", run.stderr, run.describe())
        self.assertIsNone(run.result, run.describe())


if __name__ == "__main__":
    unittest.main()
