"""Bash in the shipped `bash` policy: the script gets its arguments on the
command line and prints its result as the last line of stdout, the way
Windmill reads a Bash job's result."""

import json
import unittest

import jobkit


class BashJob(jobkit.JobTest):
    def test_computes_and_prints_result(self):
        job = jobkit.Job(self, "bash")
        run = job.run("bash", ["/bin/bash", "/tmp/main.sh", self.TEXT, str(self.N)])
        self.assertSucceeded(run)
        lines = run.stdout.strip().splitlines()
        self.assertTrue(lines, run.describe())
        result = json.loads(lines[-1])
        self.assertComputed(run, result)
        self.assertSandboxView(run, result.get("sandbox"), "bash", "/tmp")


if __name__ == "__main__":
    unittest.main()
