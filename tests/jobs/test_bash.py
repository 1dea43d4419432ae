# SPDX-License-Identifier: Apache-2.0
"""Bash in the shipped `bash` policy, run as the executor runs it today:
`/bin/bash wrapper.sh ARGS...`; the wrapper runs main.sh and writes the last
line of its output to result2.out, which is where the worker reads a Bash
job's result when result.json and result.out are empty."""

import json
import unittest

import jobkit


class BashJob(jobkit.JobTest):
    def test_computes_and_prints_result(self):
        job = jobkit.Job(self, "bash")
        job.write("result.out", "")
        job.write("result2.out", "")
        run = job.run("bash", ["/bin/bash", "wrapper.sh", self.TEXT, str(self.N)])
        self.assertSucceeded(run)
        with open(job.path("result2.out")) as f:
            last = f.read().strip()
        self.assertTrue(last, run.describe())
        result = json.loads(last)
        self.assertComputed(run, result)
        self.assertSandboxView(run, result.get("sandbox"), "bash", "/tmp")


if __name__ == "__main__":
    unittest.main()
