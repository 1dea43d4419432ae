# SPDX-License-Identifier: Apache-2.0
"""A job must not reach the host through a symlink it plants in its own
read-write job directory. Windmill runs the phases of a dbt job one after
another in the `dbt` policy over the same job directory, read-write; the
first phase here replaces `jail_tmp` with a symlink to a host directory, and
the next phase, run with the worker's disk-backed /tmp (TMP_ON_DISK, which
binds <JOB_DIR>/jail_tmp read-write at /tmp), tries to write through it.
The launcher must not follow the symlink on the host: it may refuse to set
up (exit 122) or bind something harmless, but the host file stays as it was.
"""

import os
import unittest

import jobkit
import test_every_policy

HOST_TEXT = "host data, root only\n"


class PlantedSymlink(jobkit.JobTest):
    def test_next_phase_does_not_follow_a_planted_symlink(self):
        host_dir = test_every_policy.scratch_dir(self)
        host_file = os.path.join(host_dir, "file")
        with open(host_file, "w") as f:
            f.write(HOST_TEXT)
        os.chmod(host_file, 0o644)

        job = jobkit.Job(self, None)
        os.makedirs(job.path("project"))
        params = {"PROJECT_DIR": job.path("project"), "ENGINE_DIR": test_every_policy.scratch_dir(self)}

        # Phase 1: the project plants the symlink where the worker's
        # jail_tmp would be.
        plant = job.run("dbt", ["/bin/sh", "-c", 'ln -s "$1" "$2/jail_tmp"', "sh", host_dir, job.dir],
                        params=params)
        self.assertSucceeded(plant)
        self.assertTrue(os.path.islink(job.path("jail_tmp")), plant.describe())

        # Phase 2: disk-backed /tmp; the job writes through it if it can.
        attack = job.run("dbt", ["/bin/sh", "-c", "echo pwned >> /tmp/file"],
                         params=dict(params, TMP_ON_DISK="true"))
        with open(host_file) as f:
            self.assertEqual(f.read(), HOST_TEXT, "the job wrote a host file\n" + attack.describe())
        self.assertEqual(sorted(os.listdir(host_dir)), ["file"],
                         "the launcher created mount points in a host directory\n" + attack.describe())


if __name__ == "__main__":
    unittest.main()
