# SPDX-License-Identifier: Apache-2.0
"""Node.js in the shipped `bun` policy with LANG=nodejs, as Windmill runs
Node jobs: the wrapper and the user's module under /tmp/nodejs."""

import shutil
import unittest

import jobkit


class NodeJob(jobkit.JobTest):
    def test_computes_and_writes_result(self):
        node = shutil.which("node", path="/usr/bin:/bin")
        if node is None:
            self.skipTest("node is not installed under /usr/bin")
        job = jobkit.Job(self, "node", {"text": self.TEXT, "n": self.N})
        run = job.run("bun", [node, "/tmp/nodejs/wrapper.mjs"], params={"LANG": "nodejs"})
        self.assertSucceeded(run)
        self.assertComputed(run, run.result)
        self.assertSandboxView(run, run.result.get("sandbox"), "nodejs", "/tmp/nodejs")


if __name__ == "__main__":
    unittest.main()
