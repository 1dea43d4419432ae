"""Deno (npm @deno/linux-x64-glibc) in the shipped `deno` policy, with the
16000 MiB address-space limit of Windmill's Deno config: the wrapper main.ts
runs the user's inner.ts."""

import os
import unittest

import jobkit


class DenoJob(jobkit.JobTest):
    def test_computes_and_writes_result(self):
        jobkit.tool_dir_usable(self)
        deno = jobkit.npm_binary(self, jobkit.DENO_PACKAGE, "deno")
        job = jobkit.Job(self, "deno", {"text": self.TEXT, "n": self.N})
        program = [os.path.join(jobkit.TOOL_DIR, "deno"), "run", "--allow-all", "--no-config",
                   "/tmp/main.ts"]
        run = job.run("deno", program, host_binds=[(os.path.dirname(deno), jobkit.TOOL_DIR)],
                      env={"DENO_NO_UPDATE_CHECK": "1"})
        self.assertSucceeded(run)
        self.assertComputed(run, run.result)
        self.assertSandboxView(run, run.result.get("sandbox"), "deno", "/tmp")


if __name__ == "__main__":
    unittest.main()
