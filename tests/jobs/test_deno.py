"""Deno (npm @deno/linux-x64-glibc) in the shipped `deno` policy: the wrapper
main.ts runs the user's inner.ts, V8's JIT under the policy's address-space
limit (64 GiB by default: Deno 2 does not start under the 16000 MiB of
Windmill's config)."""

import os
import unittest

import jobkit

DEFAULT_AS_LIMIT = 64 << 30   # policies/deno.policy, AS_LIMIT


class DenoJob(jobkit.JobTest):
    def setUp(self):
        jobkit.tool_dir_usable(self)
        deno = jobkit.npm_binary(self, jobkit.DENO_PACKAGE, "deno")
        self.binds = [(os.path.dirname(deno), jobkit.TOOL_DIR)]

    def run_deno(self, params=None):
        job = jobkit.Job(self, "deno", {"text": self.TEXT, "n": self.N})
        program = [os.path.join(jobkit.TOOL_DIR, "deno"), "run", "--allow-all", "--no-config",
                   "/tmp/main.ts"]
        return job.run("deno", program, params=params, host_binds=self.binds,
                       env={"DENO_NO_UPDATE_CHECK": "1"})

    def test_computes_and_writes_result(self):
        run = self.run_deno()
        self.assertSucceeded(run)
        self.assertComputed(run, run.result)
        self.assertSandboxView(run, run.result.get("sandbox"), "deno", "/tmp")
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
