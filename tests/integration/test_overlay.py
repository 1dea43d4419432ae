# SPDX-License-Identifier: Apache-2.0
"""Overlay mounts (tests/policies/overlay.policy): a snapshot's system
directories where the job's writes land in a tmpfs upper and never in the
snapshot, a read-only union that refuses writes, a persistent upper
directory, both ways of handing overlayfs its layers (directory fds, and
the /proc/self/fd paths older kernels need), and set-up failures that say
what failed in one line and leave nothing behind."""

import os
import shutil

from harness import (EXIT_SETUP, OUTSIDE_ID, ProbeTest, Snapshot, pids_with_marker,
                     probe_host_path, run_probe, unique)

# The launcher's switch to the path form of the layers (runtime/overlay.h).
BY_PATH = {"STOCKADE_OVERLAY_BY_PATH": "1"}
PROBE_IN_SNAPSHOT = "/usr/bin/stockade-probe"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def tree(top):
    """Every file under `top` with its content, and every directory."""
    out = {}
    for root, dirs, files in os.walk(top):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), top) + "/"] = None
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, top)] = f.read()
    return out


def overlay_lines(outcome):
    """(mount point, super options) of each overlay in a mountinfo dump."""
    out = []
    for ln in outcome.stdout.splitlines():
        fields = ln.split()
        if "-" not in fields:
            continue
        sep = fields.index("-")
        if fields[sep + 1] == "overlay":
            out.append((fields[4], fields[-1]))
    return out


class SnapshotTest(ProbeTest):
    """probe_snapshot: /bin, /lib, /lib64, /usr, /etc from a snapshot."""

    def setUp(self):
        super().setUp()
        self.snapshot = os.path.join(self.make_tempdir(), "snapshot")
        for d in ("bin", "lib", "lib64", "usr/bin", "etc"):
            os.makedirs(os.path.join(self.snapshot, d))
        write(os.path.join(self.snapshot, "etc/os-release"), "ID=snapshot\n")
        write(os.path.join(self.snapshot, "usr/lib/marker"), "from the snapshot\n")
        # The job runs the probe from the snapshot's /usr: exec from an overlay.
        shutil.copy(probe_host_path(), os.path.join(self.snapshot, PROBE_IN_SNAPSHOT[1:]))
        os.chmod(self.snapshot, 0o755)
        # The job's root is OUTSIDE_ID on the host and has no rights over
        # files of ids its namespace does not map: a snapshot the job may
        # change belongs to that id (one root-owned file shows the rule).
        for root, dirs, files in os.walk(self.snapshot):
            for name in dirs + files:
                os.chown(os.path.join(root, name), OUTSIDE_ID, OUTSIDE_ID)
        write(os.path.join(self.snapshot, "etc/root-owned"), "root\n")
        self.before = tree(self.snapshot)

    def run_job(self, *args, env=None):
        return run_probe("probe_snapshot", *args, params={"SNAPSHOT": self.snapshot}, env=env,
                         program=PROBE_IN_SNAPSHOT)

    def check_writes_stay_in_the_job(self, env):
        out = self.run_job("cat", "/etc/os-release", env=env)
        self.assertResult(out, "ok")
        self.assertIn("ID=snapshot", out.stdout)
        # The host's /etc is not there: only the snapshot's.
        self.assertResult(self.run_job("stat", "/etc/passwd", env=env), "ENOENT")
        for op, path in (("write", "/etc/new.conf"), ("overwrite", "/usr/lib/marker"),
                         ("mkdir", "/usr/lib/python3-site"), ("write", "/bin/tool")):
            self.assertResult(self.run_job(op, path, env=env), "ok", "%s %s" % (op, path))
        self.assertResult(self.run_job("overwrite", "/etc/root-owned", env=env), "EACCES")
        self.assertEqual(tree(self.snapshot), self.before, "a job's write reached the snapshot")
        # Nor does it reach the next job: each starts from the snapshot.
        self.assertResult(self.run_job("stat", "/etc/new.conf", env=env), "ENOENT")

    def test_writes_land_in_the_tmpfs_upper_never_in_the_snapshot(self):
        self.check_writes_stay_in_the_job(None)

    def test_the_same_with_the_layers_given_as_paths(self):
        self.check_writes_stay_in_the_job(BY_PATH)

    def test_layers_reach_the_kernel_as_fds_or_as_proc_paths(self):
        by_fd = overlay_lines(self.run_job("cat", "/proc/self/mountinfo"))
        by_path = overlay_lines(self.run_job("cat", "/proc/self/mountinfo", env=BY_PATH))
        self.assertEqual(sorted(p for p, _ in by_fd), ["/bin", "/etc", "/lib", "/lib64", "/usr"])
        self.assertEqual(sorted(p for p, _ in by_path), ["/bin", "/etc", "/lib", "/lib64", "/usr"])
        for point, options in by_path:
            self.assertIn("lowerdir=/proc/self/fd/", options, point)
            self.assertIn("userxattr", options, point)
        # This machine's kernel takes fds (6.13 and later); an older one
        # falls back to the path form by itself.
        if os.uname().release.split(".")[:2] >= ["6", "13"] and int(os.uname().release.split(".")[0]) >= 6:
            for point, options in by_fd:
                self.assertIn("lowerdir+=", options, point)

    def test_the_tmpfs_upper_has_its_size(self):
        out = self.run_job("fsize", str(32 << 20), "/etc/fill")
        self.assertResult(out, "ENOSPC")
        self.assertEqual(out.value("written"), str(16 << 20))

    def test_overlays_are_nosuid_nodev(self):
        out = self.run_job("cat", "/proc/self/mountinfo")
        self.assertResult(out, "ok")
        for ln in out.stdout.splitlines():
            fields = ln.split()
            if "-" in fields and fields[fields.index("-") + 1] == "overlay":
                self.assertIn("nosuid", fields[5].split(","), ln)
                self.assertIn("nodev", fields[5].split(","), ln)


class UnionAndUpperTest(ProbeTest):
    """probe_overlay: /opt a read-only union, /data with a persistent upper."""

    def setUp(self):
        super().setUp()
        top = self.make_tempdir()
        os.chmod(top, 0o755)
        self.layers = os.path.join(top, "layers")
        write(os.path.join(self.layers, "top/both"), "top\n")
        write(os.path.join(self.layers, "top/only-top"), "t\n")
        write(os.path.join(self.layers, "base/both"), "base\n")
        write(os.path.join(self.layers, "base/only-base"), "b\n")
        os.chown(os.path.join(self.layers, "base/only-base"), OUTSIDE_ID, OUTSIDE_ID)
        # World-writable but root's: overlayfs cannot copy it up keeping an
        # owner the job's namespace does not map, and says EOVERFLOW.
        write(os.path.join(self.layers, "base/root-open"), "r\n")
        os.chmod(os.path.join(self.layers, "base/root-open"), 0o666)
        self.upper = os.path.join(top, "upper")
        self.work = os.path.join(top, "work")
        for d in (self.upper, self.work):
            os.mkdir(d)
            # The job's root is OUTSIDE_ID on the host: it writes the upper.
            os.chown(d, OUTSIDE_ID, OUTSIDE_ID)
        self.params = {"LAYERS": self.layers, "UPPER": self.upper, "WORK": self.work}
        self.before = tree(self.layers)

    def probe(self, *args, env=None, **params):
        return run_probe("probe_overlay", *args, params=dict(self.params, **params), env=env)

    def test_union_shows_both_layers_top_first(self):
        out = self.probe("cat", "/opt/both")
        self.assertResult(out, "ok")
        self.assertIn("top", out.stdout)
        self.assertNotIn("base", out.stdout)
        self.assertResult(self.probe("read", "/opt/only-base"), "ok")
        self.assertResult(self.probe("read", "/opt/only-top"), "ok")

    def test_read_only_union_refuses_writes(self):
        for env in (None, BY_PATH):
            for op, path in (("write", "/opt/new"), ("overwrite", "/opt/only-base"), ("overwrite", "/opt/root-open"),
                             ("mkdir", "/opt/d")):
                self.assertResult(self.probe(op, path, env=env), "EROFS", "%s %s" % (op, path))
        self.assertEqual(tree(self.layers), self.before)

    def check_writes_persist_in_the_upper(self, env):
        self.assertResult(self.probe("write", "/data/new", env=env), "ok")
        self.assertResult(self.probe("overwrite", "/data/only-base", env=env), "ok")
        self.assertResult(self.probe("overwrite", "/data/root-open", env=env), "EOVERFLOW")
        self.assertEqual(tree(self.layers), self.before, "a write reached the lower directory")
        self.assertTrue(os.path.isfile(os.path.join(self.upper, "new")))
        with open(os.path.join(self.upper, "only-base")) as f:
            self.assertEqual(f.read(), "x\n", "the copied-up file holds the job's write (one byte over b)")
        self.assertEqual(os.stat(os.path.join(self.upper, "new")).st_uid, OUTSIDE_ID)
        # The next job sees what the last one left.
        self.assertResult(self.probe("stat", "/data/new", env=env), "ok")

    def test_writes_persist_in_the_upper_dir_never_in_the_lower(self):
        self.check_writes_persist_in_the_upper(None)

    def test_the_same_with_the_layers_given_as_paths(self):
        self.check_writes_persist_in_the_upper(BY_PATH)

    def test_missing_upper_fails_in_one_line_and_leaves_nothing(self):
        missing = os.path.join(os.path.dirname(self.upper), "missing")
        for env in (None, BY_PATH):
            snapshot = Snapshot()
            marker = unique("overlay")
            out = self.probe("sleep", "0", marker, env=env, UPPER=missing)
            self.assertExit(out, EXIT_SETUP)
            self.assertOneLineError(out, "mounts: open overlay upper " + missing, "No such file or directory")
            self.assertEqual(out.stdout, "", "the job ran")
            self.assertEqual(pids_with_marker(marker), {}, "processes left behind")
            self.assertEqual(snapshot.new_mounts(), [], "mounts left behind")
            self.assertEqual(snapshot.new_cgroups(), [], "cgroups left behind")

    def test_upper_that_is_no_directory_or_the_kernel_refuses_fails_in_one_line(self):
        # A regular file as upper: the open itself refuses it.
        not_dir = os.path.join(os.path.dirname(self.upper), "file")
        write(not_dir, "")
        out = self.probe("sleep", "0", UPPER=not_dir)
        self.assertExit(out, EXIT_SETUP)
        self.assertOneLineError(out, "open overlay upper " + not_dir, "Not a directory")
        # Work and upper on different filesystems: overlayfs refuses at create.
        out = self.probe("sleep", "0", WORK="/dev/shm")
        self.assertExit(out, EXIT_SETUP)
        self.assertOneLineError(out, "mounts: fsconfig(FSCONFIG_CMD_CREATE) overlay /data")

    def test_work_inside_upper_is_refused_by_the_kernel_in_one_line(self):
        inside = os.path.join(self.upper, "w")
        os.mkdir(inside)
        os.chown(inside, OUTSIDE_ID, OUTSIDE_ID)
        out = self.probe("sleep", "0", WORK=inside)
        self.assertExit(out, EXIT_SETUP)
        self.assertOneLineError(out, "mounts: fsconfig(FSCONFIG_CMD_CREATE) overlay /data")
