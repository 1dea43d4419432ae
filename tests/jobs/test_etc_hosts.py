# SPDX-License-Identifier: Apache-2.0
"""The Kubernetes case: the kubelet binds its own /etc/hosts over the image's,
a separate mount below /etc. A job in the `python3` policy (which binds /etc
read-only) must see that file and must not be able to change it: read-only
is recursive, so no per-file re-bind is needed."""

import os
import tempfile
import unittest

import jobkit
import test_python3

MARKER = "10.11.12.13 stockade-kubelet-hosts\n"


class EtcHostsJob(jobkit.JobTest):
    def test_separately_mounted_hosts_file_is_read_only(self):
        if not os.path.exists(test_python3.PYTHON):
            self.skipTest(test_python3.PYTHON + " is not installed")
        jobkit.need_unshare(self)
        fd, hosts = tempfile.mkstemp(prefix="stockade-kubelet-hosts-")
        self.addCleanup(os.unlink, hosts)
        with os.fdopen(fd, "w") as f:
            f.write("127.0.0.1 localhost\n" + MARKER)
        # Writable by anyone: only the mount may stop the job, not the mode.
        os.chmod(hosts, 0o666)

        job = jobkit.Job(self, "etc_hosts", {})
        run = job.run("python3", [test_python3.PYTHON, "-u", "-m", "wrapper"],
                      params={"PY_INSTALL_DIR": test_python3.debian_stdlib_dir()},
                      host_binds=[(hosts, "/etc/hosts")])
        self.assertSucceeded(run)
        self.assertIsNotNone(run.result, run.describe())
        self.assertIn(MARKER, run.result.get("hosts", ""), "the job must see the kubelet's file\n" + run.describe())
        self.assertEqual(run.result.get("write"), "EROFS", run.describe())
        with open(hosts) as f:
            self.assertNotIn("poisoned", f.read())


if __name__ == "__main__":
    unittest.main()
