# SPDX-License-Identifier: Apache-2.0
"""cgroup v2 through a delegated directory (`--cgroup DIR`): the job starts
in its own cgroup below DIR (clone3 with CLONE_INTO_CGROUP), which is gone
afterwards; limits DIR cannot give fail before anything runs; an ordinary
user with a delegated DIR gets a cgroup too. Runs on whatever cgroup2 mount
the machine has (here often an empty one beside the v1 controllers)."""

import os
import subprocess

from harness import LAUNCHED, ProbeTest, launcher_args, need, run_launcher, unique, wait_for

NOBODY = 65534


def cgroup2_mount():
    with open("/proc/self/mountinfo") as f:
        for ln in f:
            fields = ln.split()
            sep = fields.index("-")
            if fields[sep + 1] == "cgroup2":
                return fields[4]
    return None


def with_cgroup(args, directory):
    """launcher_args with --cgroup DIR after the policy name."""
    return args[:3] + ["--cgroup", directory] + args[3:]


def job_dirs(parent):
    return [os.path.join(parent, d) for d in os.listdir(parent) if d.startswith("stockade-")]


def procs(directory):
    try:
        with open(os.path.join(directory, "cgroup.procs")) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


class DelegatedCgroupTest(ProbeTest):
    def setUp(self):
        super().setUp()
        root = cgroup2_mount()
        need(self, root is not None, "no cgroup2 hierarchy mounted")
        self.parent = os.path.join(root, unique("stockade-test"))
        os.mkdir(self.parent)
        self.addCleanup(self.remove_parent)

    def remove_parent(self):
        for d in job_dirs(self.parent):
            os.rmdir(d)
        # Processes the rootless test put here go back to the root cgroup.
        for pid in procs(self.parent):
            with open(os.path.join(os.path.dirname(self.parent), "cgroup.procs"), "w") as f:
                f.write(str(pid))
        os.rmdir(self.parent)

    def start(self, args, preexec_fn=None):
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                preexec_fn=preexec_fn, env={"PATH": "/usr/bin:/bin"})
        LAUNCHED.add(proc.pid)
        return proc

    def assert_job_in_cgroup_then_gone(self, proc):
        mine = os.path.join(self.parent, "stockade-%d" % proc.pid)
        members = wait_for(lambda: procs(mine), timeout=10)
        self.assertTrue(members, "no process of the job in %s" % mine)
        # Init and the job, both started inside (not moved there later).
        for pid in members:
            with open("/proc/%d/cgroup" % pid) as f:
                self.assertIn("0::/" + os.path.relpath(mine, cgroup2_mount()), f.read())
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err.decode(errors="replace"))
        self.assertFalse(os.path.exists(mine), "the job's cgroup was left behind")

    def test_job_runs_in_its_cgroup_below_the_delegated_directory(self):
        args = with_cgroup(launcher_args("probe", ["2"], program="/bin/sleep"), self.parent)
        self.assert_job_in_cgroup_then_gone(self.start(args))

    def test_ordinary_user_with_a_delegated_directory(self):
        # Delegation as systemd does it: the directory and its files belong
        # to the user, whose processes already run inside it.
        for path in [self.parent] + [os.path.join(self.parent, n) for n in os.listdir(self.parent)]:
            os.chown(path, NOBODY, NOBODY)

        def as_nobody_inside():
            with open(os.path.join(self.parent, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)

        args = with_cgroup(launcher_args("probe", ["2"], program="/bin/sleep", tools=self.tools_for_everyone()),
                           self.parent)
        self.assert_job_in_cgroup_then_gone(self.start(args, as_nobody_inside))

    def test_ordinary_user_outside_the_delegated_subtree_is_told_why(self):
        # Owning the directory is not enough: moving a process into a cgroup
        # needs write access to the common ancestor's cgroup.procs, so the
        # launcher must already run inside the delegated subtree.
        for path in [self.parent] + [os.path.join(self.parent, n) for n in os.listdir(self.parent)]:
            os.chown(path, NOBODY, NOBODY)

        def as_nobody_outside():
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)

        args = with_cgroup(launcher_args("probe", [], program="/bin/true", tools=self.tools_for_everyone()),
                           self.parent)
        out = run_launcher(args, preexec_fn=as_nobody_outside)
        self.assertEqual(out.returncode, 122, out.describe())
        errors = [ln for ln in out.stderr.splitlines() if "not root:" not in ln]
        self.assertEqual(len(errors), 1, out.describe())
        self.assertIn("CLONE_INTO_CGROUP", errors[0], out.describe())
        self.assertIn("must already run inside", errors[0], out.describe())
        self.assertEqual(job_dirs(self.parent), [], "a cgroup was left behind")

    def test_limits_the_directory_cannot_give(self):
        with open(os.path.join(self.parent, "cgroup.controllers")) as f:
            available = f.read().split()
        args = with_cgroup(launcher_args("probe_cgroup", ["id"]), self.parent)
        out = run_launcher(args)
        if "pids" in available and "memory" in available:
            self.assertEqual(out.returncode, 0, out.describe())
            return
        # The policy limits memory and pids; this hierarchy offers neither.
        self.assertEqual(out.returncode, 122, out.describe())
        lines = out.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, out.describe())
        self.assertIn("cgroup.subtree_control", lines[0], out.describe())
        self.assertEqual(job_dirs(self.parent), [], "a cgroup was left behind")

    def test_not_a_cgroup_directory(self):
        plain = self.make_tempdir()
        out = run_launcher(with_cgroup(launcher_args("probe", ["id"]), plain))
        self.assertEqual(out.returncode, 122, out.describe())
        self.assertIn("not a cgroup v2 directory", out.stderr, out.describe())
