# SPDX-License-Identifier: Apache-2.0
"""Debian's Python 3 in the shipped `python3` policy, run as Windmill does:
`python3 -u -m wrapper` in /tmp with the job's files bound there."""

import os
import subprocess
import unittest

import jobkit

PYTHON = "/usr/bin/python3"


class Python3Job(jobkit.JobTest):
    def test_computes_and_writes_result(self):
        if not os.path.exists(PYTHON):
            self.skipTest(PYTHON + " is not installed")
        job = jobkit.Job(self, "python3", {"text": self.TEXT, "n": self.N})
        run = job.run("python3", [PYTHON, "-u", "-m", "wrapper"],
                      params={"PY_INSTALL_DIR": debian_stdlib_dir()})
        self.assertSucceeded(run)
        self.assertComputed(run, run.result)
        self.assertSandboxView(run, run.result.get("sandbox"), "python", "/tmp")

    def test_without_user_namespace(self):
        """Windmill's {CLONE_NEWUSER}=false (workers where user namespaces are
        disabled): the job still works and writes its result, and runs as
        65534 on the host, never as the worker's root."""
        if not os.path.exists(PYTHON):
            self.skipTest(PYTHON + " is not installed")
        job = jobkit.Job(self, "python3", {"text": self.TEXT, "n": self.N})
        run = job.run("python3", [PYTHON, "-u", "-m", "wrapper"],
                      params={"PY_INSTALL_DIR": debian_stdlib_dir(), "NEWUSER": "false"})
        self.assertSucceeded(run)
        self.assertComputed(run, run.result)
        self.assertEqual(run.result["sandbox"].get("uid"), jobkit.OUTSIDE_ID, run.describe())
        self.assertEqual(run.result["sandbox"].get("hostname"), "python", run.describe())


def debian_stdlib_dir():
    """Windmill's PY_INSTALL_DIR: where the interpreter's stdlib lives. Asked
    of Debian's interpreter itself, not of whatever runs this test."""
    out = subprocess.run([PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                         stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().strip()


if __name__ == "__main__":
    unittest.main()
