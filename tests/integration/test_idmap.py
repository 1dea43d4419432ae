# SPDX-License-Identifier: Apache-2.0
"""Files a job creates on the host through read-write binds
(runtime/idmap.cc): the bind is idmapped so the source's owner on disk is
the job, and what the job writes lands on disk as that owner's. A worker
that prepares the job directory as an unprivileged user (uid 1000 here)
gets that user's files back, never root's; a root-owned job directory gets
root-owned files, which the set-id guard keeps from being set-id.

Fallback, where the filesystem cannot be idmapped (forced here with the
test launcher's STOCKADE_TEST_NO_IDMAP=1, runtime/test_switch.h): a plain
bind, one note on stderr; the job writes as its host id (65534) and only
where the host permissions let that id write."""

import os
import stat

from harness import ProbeTest, run_probe, run_probe_on_host

WORKER_UID = 1000
WORKER_GID = 1000
JOB_UID = 65534  # the default uid_map/gid_map: inside 0 -> outside 65534
FORCE = {"STOCKADE_TEST_NO_IDMAP": "1"}
NOTE = ": not idmapped (forced off by the test switch), plain rw bind"


class IdmapOwnerTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.assertEqual(os.geteuid(), 0, "the idmap tests run as root (the worker as root)")
        self.job = self.make_tempdir()
        os.chown(self.job, WORKER_UID, WORKER_GID)
        os.chmod(self.job, 0o755)
        with open(os.path.join(self.job, "workers"), "w") as f:
            f.write("the worker's file\n")
        os.chown(os.path.join(self.job, "workers"), WORKER_UID, WORKER_GID)
        with open(os.path.join(self.job, "roots"), "w") as f:
            f.write("root's file\n")
        os.chmod(os.path.join(self.job, "roots"), 0o644)

    def owner(self, name):
        st = os.stat(os.path.join(self.job, name))
        return st.st_uid, st.st_gid

    def job_run(self, *args, policy="probe", env=None):
        return run_probe(policy, *args, params={"RW_DIR": self.job}, env=env)

    def test_files_the_job_writes_belong_to_the_dirs_owner(self):
        for policy in ("probe", "probe_nouserns"):
            with self.subTest(policy):
                self.assertResult(self.job_run("write", "/rw/new-" + policy, policy=policy), "ok")
                self.assertResult(self.job_run("mkdir", "/rw/dir-" + policy, policy=policy), "ok")
                self.assertEqual(self.owner("new-" + policy), (WORKER_UID, WORKER_GID))
                self.assertEqual(self.owner("dir-" + policy), (WORKER_UID, WORKER_GID))
        for name in os.listdir(self.job):
            self.assertNotEqual(self.owner(name)[0], 0 if name != "roots" else -1, name)

    def test_the_owners_files_are_the_jobs(self):
        self.assertResult(self.job_run("overwrite", "/rw/workers"), "ok")
        out = self.job_run("stat", "/rw/workers")
        self.assertResult(out, "ok")
        self.assertEqual(out.value("owner"), "0:0", out.describe())  # the job's own ids inside
        self.assertEqual(self.owner("workers"), (WORKER_UID, WORKER_GID))

    def test_other_owners_files_stay_out_of_reach(self):
        # root's file in the worker's directory is nobody's inside: the job
        # can neither write it nor take it.
        self.assertResult(self.job_run("overwrite", "/rw/roots"), "EACCES")
        # (EOVERFLOW: its owner has no id in the mount's mapping.)
        self.assertResult(self.job_run("chmod", "/rw/roots", "0666"), "EOVERFLOW")
        with open(os.path.join(self.job, "roots")) as f:
            self.assertEqual(f.read(), "root's file\n")
        self.assertEqual(os.stat(os.path.join(self.job, "roots")).st_mode & 0o7777, 0o644)

    def test_no_set_id_file_of_the_owner(self):
        # The set-id guard stays: a set-id file of uid 1000 would run as
        # that user for anyone on the host.
        control = self.make_tempdir()
        self.assertResult(run_probe_on_host("setid", control), "ok")
        self.assertTrue(os.stat(os.path.join(control, "setid-open")).st_mode & stat.S_ISUID,
                        "positive control: the probe makes set-id files outside a sandbox")
        for policy in ("probe", "probe_seccomp"):
            with self.subTest(policy):
                sub = os.path.join(self.job, policy)
                os.mkdir(sub)
                os.chown(sub, WORKER_UID, WORKER_GID)
                out = self.job_run("setid", "/rw/" + policy, policy=policy)
                self.assertResult(out, "ok")
                self.assertTrue(os.listdir(sub), out.describe())
                for name in os.listdir(sub):
                    mode = os.stat(os.path.join(sub, name)).st_mode
                    self.assertFalse(mode & (stat.S_ISUID | stat.S_ISGID),
                                     "set-id file %s mode %o\n%s" % (name, mode, out.describe()))

    def test_root_owned_job_dir_gets_root_owned_files(self):
        # What a root-owned job directory means (documented in idmap.h):
        # the job's files there are root's, set-id bits refused.
        rootdir = self.make_tempdir()
        os.chmod(rootdir, 0o755)
        out = run_probe("probe", "write", "/rw/new", params={"RW_DIR": rootdir})
        self.assertResult(out, "ok")
        st = os.stat(os.path.join(rootdir, "new"))
        self.assertEqual((st.st_uid, st.st_gid), (0, 0))

    def test_fallback_is_a_plain_bind_with_one_note(self):
        # The worker's 0755 directory: uid 65534 may not write it.
        out = self.job_run("write", "/rw/new", env=FORCE)
        self.assertResult(out, "EACCES")
        self.assertEqual(out.stderr.count(NOTE), 1, out.describe())
        self.assertFalse(os.path.exists(os.path.join(self.job, "new")))
        # A world-writable one: the job's files are its own host id's.
        os.chmod(self.job, 0o1777)
        out = self.job_run("write", "/rw/new", env=FORCE)
        self.assertResult(out, "ok")
        self.assertEqual(self.owner("new"), (JOB_UID, JOB_UID))

    def test_fallback_keeps_set_id_files_out(self):
        os.chmod(self.job, 0o1777)
        out = self.job_run("setid", "/rw", env=FORCE)
        self.assertResult(out, "ok")
        for name in os.listdir(self.job):
            st = os.stat(os.path.join(self.job, name))
            self.assertFalse(st.st_uid in (0, WORKER_UID) and st.st_mode & (stat.S_ISUID | stat.S_ISGID), name)
