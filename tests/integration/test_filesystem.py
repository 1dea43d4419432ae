# SPDX-License-Identifier: Apache-2.0
"""The job sees only its mounts, cannot write read-only ones, cannot change
the mount table, and cannot climb out of its root."""

import os
import subprocess

from harness import (ProbeTest, launcher_args, pids_with_marker, probe_dir, run_launcher, run_probe,
                     run_probe_on_host, start_launcher, stop, wait_for)

# Mount points of the `probe` policy (tests/policies/probe.policy), without
# the optional DATA_DIR/RW_DIR binds. /proc may carry submounts (the
# launcher makes /proc/sys read-only, possibly by a bind of its own).
PROBE_MOUNTS = {"/", "/usr", "/lib", "/lib64", "/bin", "/probe", "/tmp", "/proc", "/dev/null"}


def sandbox_mounts(outcome):
    """(mount point, fs type, options) from a `cat /proc/self/mountinfo`."""
    out = []
    for ln in outcome.stdout.splitlines():
        fields = ln.split()
        if "-" not in fields or len(fields) < 7:
            continue
        sep = fields.index("-")
        out.append((fields[4], fields[sep + 1], fields[5]))
    return out


class DataDirs(ProbeTest):
    """A job dir (bound read-only at /data), a sibling job dir, a read-write
    dir and a host secret outside every bind."""

    def setUp(self):
        super().setUp()
        top = self.make_tempdir()
        self.job = os.path.join(top, "job-a")
        self.sibling = os.path.join(top, "job-b")
        self.rw = os.path.join(top, "rw")
        self.secret_dir = os.path.join(top, "secret")
        for d in (self.job, self.sibling, self.rw, self.secret_dir):
            os.mkdir(d)
        self.secret = os.path.join(self.secret_dir, "secret.txt")
        with open(self.secret, "w") as f:
            f.write("host secret\n")
        with open(os.path.join(self.sibling, "result.json"), "w") as f:
            f.write("{}\n")
        # Files the job may read but must not change: one root-owned 0644,
        # one 0666 (so only the read-only mount stands in the way).
        for name, mode in (("rootfile", 0o644), ("openfile", 0o666)):
            for d in (self.job, self.rw):
                path = os.path.join(d, name)
                with open(path, "w") as f:
                    f.write("original\n")
                os.chmod(path, mode)
        os.chmod(self.rw, 0o777)
        self.params = {"DATA_DIR": self.job, "RW_DIR": self.rw}

    def probe(self, *args):
        return run_probe("probe", *args, params=self.params)


class MountTableTest(DataDirs):
    def test_mount_table_is_only_the_policys(self):
        out = self.probe("cat", "/proc/self/mountinfo")
        self.assertResult(out, "ok")
        points = {m[0] for m in sandbox_mounts(out)}
        expected = PROBE_MOUNTS | {"/data", "/rw"}
        unexpected = {p for p in points - expected if not p.startswith("/proc/")}
        self.assertEqual(unexpected, set(), out.describe())
        # /lib64 is optional in the policy (bind?), everything else must be there.
        self.assertEqual(expected - points - {"/lib64"}, set(), out.describe())

    def test_tmp_is_a_private_tmpfs(self):
        out = self.probe("cat", "/proc/self/mountinfo")
        types = {m[0]: m[1] for m in sandbox_mounts(out)}
        self.assertEqual(types.get("/tmp"), "tmpfs", out.describe())
        marker = "stockade-it-%d" % os.getpid()
        self.assertResult(self.probe("write", "/tmp/" + marker), "ok")
        self.assertFalse(os.path.exists("/tmp/" + marker), "the job's /tmp is the host's /tmp")

    def test_tmp_size_limit_holds(self):
        # tmpfs /tmp size 64MiB: a job filling it gets ENOSPC, not the
        # host's memory.
        out = self.probe("fsize", str(100 << 20), "/tmp/fill")
        self.assertResult(out, "ENOSPC")
        self.assertEqual(out.value("written"), str(64 << 20))

    def test_binds_are_nosuid_nodev(self):
        out = self.probe("cat", "/proc/self/mountinfo")
        for point, _fstype, options in sandbox_mounts(out):
            if point in ("/usr", "/lib", "/bin", "/probe", "/data", "/rw"):
                opts = options.split(",")
                self.assertIn("nosuid", opts, "%s: %s" % (point, options))
                self.assertIn("nodev", opts, "%s: %s" % (point, options))
                if point != "/rw":
                    self.assertIn("ro", opts, "%s: %s" % (point, options))


class HostFilesInvisibleTest(DataDirs):
    def test_root_home_and_etc_are_absent(self):
        for path in ("/root", "/home", "/etc", "/var", "/sys"):
            self.assertResult(self.probe("stat", path), "ENOENT", path)
        # The build tree holding the probe is bound at /probe, not at its
        # host path.
        self.assertResult(self.probe("stat", probe_dir()), "ENOENT")

    def test_host_secret_file_is_absent(self):
        # Positive control: the probe can read it on the host.
        self.assertResult(run_probe_on_host("read", self.secret), "ok")
        self.assertResult(self.probe("read", self.secret), "ENOENT")
        self.assertResult(self.probe("stat", self.secret_dir), "ENOENT")

    def test_sibling_job_dir_is_absent(self):
        self.assertResult(self.probe("read", "/data/rootfile"), "ok")
        self.assertResult(self.probe("stat", self.sibling), "ENOENT")
        self.assertResult(self.probe("read", os.path.join(self.sibling, "result.json")), "ENOENT")
        # '..' from the bind leads to the sandbox's root, not the host's parent.
        self.assertResult(self.probe("stat", "/data/../job-b"), "ENOENT")
        self.assertResult(self.probe("stat", "/data/../secret"), "ENOENT")


class ReadOnlyTest(DataDirs):
    def test_write_into_ro_binds_fails_with_erofs(self):
        for path in ("/usr/stockade-it-new", "/probe/new", "/data/new", "/bin/new"):
            self.assertResult(self.probe("write", path), "EROFS", path)
        self.assertResult(self.probe("mkdir", "/usr/stockade-it-dir"), "EROFS")
        self.assertResult(self.probe("overwrite", "/data/openfile"), "EROFS")
        with open(os.path.join(self.job, "openfile")) as f:
            self.assertEqual(f.read(), "original\n")

    def test_submount_of_ro_bind_is_read_only(self):
        # A tmpfs mounted on the host under the job dir, writable by anyone:
        # only the recursive read-only bind keeps the job from writing it.
        sub = os.path.join(self.job, "sub")
        os.mkdir(sub)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=1777,size=1m", "stockade-it", sub], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", sub])
        self.assertResult(self.probe("write", "/data/sub/x"), "EROFS")
        self.assertResult(self.probe("mkdir", "/data/sub/d"), "EROFS")
        self.assertEqual(os.listdir(sub), [])

    def test_host_mount_made_later_is_not_a_writable_door(self):
        # The host mounts a world-writable tmpfs under the job dir while the
        # job runs. Whether or not it propagates into the sandbox, the
        # read-only bind must not gain a writable spot.
        late = os.path.join(self.job, "late")
        os.mkdir(late)
        # Make the job dir a shared mount of its own, as it is on a systemd
        # host (/ is shared there), so propagation could happen at all.
        subprocess.run(["mount", "--bind", self.job, self.job], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", self.job])
        subprocess.run(["mount", "--make-shared", self.job], check=True)
        proc = start_launcher(launcher_args("probe", ["after", "1500", "write", "/data/late/x"], self.params))
        self.addCleanup(stop, proc)
        # Mount only once the job runs, i.e. after the sandbox was set up.
        self.assertTrue(wait_for(lambda: [a for a in pids_with_marker("/data/late/x").values()
                                          if a[0].startswith("/probe/")], timeout=10))
        subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=1777,size=1m", "stockade-it-late", late], check=True)
        self.addCleanup(subprocess.run, ["umount", "-l", late])
        stdout, stderr = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, stderr)
        self.assertIn("result: EROFS", stdout.decode(), stdout.decode() + stderr.decode())
        self.assertEqual(os.listdir(late), [])

    def test_device_bind_cannot_change_the_hosts_node(self):
        # /dev/null is the host's own node, bound read-write: its owner is
        # the host's root, not the job.
        before = os.stat("/dev/null")
        self.assertResult(self.probe("overwrite", "/dev/null"), "ok")
        self.assertResult(self.probe("chmod", "/dev/null", "0600"), "EPERM")
        self.assertResult(self.probe("chown", "/dev/null", "0", "0"), "EPERM")
        after = os.stat("/dev/null")
        self.assertEqual((after.st_mode, after.st_uid), (before.st_mode, before.st_uid))

    def test_rw_bind_is_writable(self):
        # Positive control for the write operations above.
        self.assertResult(self.probe("write", "/rw/new"), "ok")
        self.assertTrue(os.path.exists(os.path.join(self.rw, "new")))

    def test_root_owned_file_in_ro_bind(self):
        # chmod and chown ask for write access to the mount first; open for
        # writing checks the file's permission bits (0644, not ours) first.
        self.assertResult(self.probe("chmod", "/data/rootfile", "0777"), "EROFS")
        self.assertResult(self.probe("chown", "/data/rootfile", "0", "0"), "EROFS")
        self.assertResult(self.probe("overwrite", "/data/rootfile"), "EACCES")
        st = os.stat(os.path.join(self.job, "rootfile"))
        self.assertEqual((st.st_mode & 0o7777, st.st_uid), (0o644, 0))

    def test_rw_bind_cannot_hand_files_to_other_host_users(self):
        # By design (policies/README.md) a rw bind is idmapped so that the
        # host's uid 0 on disk is the job's uid 0: root-owned files in it are
        # the job's, chmod and write included. What must not follow: giving
        # a file to any other host id (unmapped inside: EINVAL) or minting
        # set-id files (next test).
        for name in ("rootfile", "openfile"):
            self.assertResult(self.probe("chown", "/rw/" + name, "1000", "1000"), "EINVAL", name)
            self.assertResult(self.probe("chown", "/rw/" + name, "65534", "65534"), "EINVAL", name)
            st = os.stat(os.path.join(self.rw, name))
            self.assertEqual((st.st_uid, st.st_gid), (0, 0), name)

    def test_rw_bind_cannot_mint_setuid_root_files(self):
        self.check_no_setid_root_files("probe")

    def test_rw_bind_cannot_mint_setuid_root_files_under_a_policy_filter(self):
        # Here the guard is the head of the policy's own filter
        # (runtime/setuid_guard.h), not a filter of its own.
        self.check_no_setid_root_files("probe_seccomp")

    def check_no_setid_root_files(self, policy):
        # Whatever the job writes into a rw bind lands on the host's disk.
        # A set-id file owned by the host's root there would make anyone who
        # runs it on the host root. The probe tries open, chmod, fchmod,
        # fchmodat and mknod with set-id modes.
        control = self.make_tempdir()
        self.assertResult(run_probe_on_host("setid", control), "ok")
        self.assertTrue(os.stat(os.path.join(control, "setid-open")).st_mode & 0o4000,
                        "positive control: the probe makes set-id files outside a sandbox")
        out = run_probe(policy, "setid", "/rw", params=self.params)
        self.assertResult(out, "ok")
        self.assertIn(out.value("chmod"), ("ok", "EPERM"), out.describe())
        for name in sorted(os.listdir(self.rw)):
            st = os.stat(os.path.join(self.rw, name))
            self.assertFalse(st.st_uid == 0 and st.st_mode & 0o4000 or st.st_gid == 0 and st.st_mode & 0o2000,
                             "the job made a set-id root file on the host: %s uid %d gid %d mode %o\n%s"
                             % (name, st.st_uid, st.st_gid, st.st_mode, out.describe()))

    def test_proc_sys_is_read_only(self):
        # docs/language.md: `proc` always has /proc/sys read-only.
        out = self.probe("cat", "/proc/self/mountinfo")
        options = {m[0]: m[2].split(",") for m in sandbox_mounts(out)}
        self.assertIn("/proc/sys", options, out.describe())
        self.assertIn("ro", options["/proc/sys"], out.describe())
        # Host-wide sysctls belong to the host's root, not mapped inside:
        # the permission check refuses before the mount is looked at.
        self.assertResult(self.probe("overwrite", "/proc/sys/kernel/hostname"), "EACCES")
        self.assertResult(self.probe("overwrite", "/proc/sys/kernel/core_pattern"), "EACCES")
        # Other host-wide knobs in /proc stay the host root's (where this
        # kernel has them at all).
        for op, path in (("overwrite", "/proc/sysrq-trigger"), ("read", "/proc/kcore"),
                         ("read", "/proc/kmsg")):
            expected = "EACCES" if os.path.exists(path) else "ENOENT"
            self.assertResult(self.probe(op, path), expected, path)
        # Net sysctls belong to the user namespace's root when the network
        # namespace was created after the uid map (then only the read-only
        # mount stops the write: EROFS), else to the host's root (EACCES).
        out = self.probe("overwrite", "/proc/sys/net/ipv4/ip_forward")
        self.assertIn(out.result, ("EROFS", "EACCES"), out.describe())


class MountSyscallsTest(DataDirs):
    def test_remount_rw_fails(self):
        for path in ("/usr", "/data", "/"):
            self.assertResult(self.probe("remount-rw", path), "EPERM", path)

    def test_mknod_fails(self):
        self.assertResult(self.probe("mknod", "/tmp/null"), "EPERM")

    def test_mount_and_new_mount_api_fail(self):
        self.assertResult(self.probe("mount-tmpfs", "/tmp"), "EPERM")
        self.assertResult(self.probe("umount", "/usr"), "EPERM")
        self.assertResult(self.probe("fsopen"), "EPERM")
        self.assertResult(self.probe("open-tree", "/usr"), "EPERM")
        self.assertResult(self.probe("move-mount", "/usr", "/tmp"), "EPERM")

    def test_chroot_and_pivot_root_fail(self):
        self.assertResult(self.probe("chroot", "/tmp"), "EPERM")
        self.assertResult(self.probe("pivot-root", "/tmp", "/tmp"), "EPERM")

    def test_nested_user_namespace_unlocks_nothing(self):
        out = self.probe("userns", "/data", self.secret)
        if out.value("unshare") != "ok":
            # Refusing nested user namespaces is a valid way to contain them.
            self.assertIn(out.value("unshare"), ("EPERM", "ENOSPC", "EINVAL"), out.describe())
            return
        if out.value("unshare-mount") != "ok":
            self.assertEqual(out.value("unshare-mount"), "EPERM", out.describe())
            return
        # With every capability in the inner namespaces, the locked mounts
        # of the sandbox still hold.
        self.assertEqual(out.value("remount-rw"), "EPERM", out.describe())
        self.assertEqual(out.value("write"), "EROFS", out.describe())
        self.assertEqual(out.value("umount"), "EINVAL", out.describe())
        self.assertEqual(out.value("secret"), "ENOENT", out.describe())
        self.assertFalse(os.path.exists(os.path.join(self.job, "stockade-nested-write")))


class PlantedSymlinkTest(DataDirs):
    """Run 1 has the job dir read-write and plants symlinks to host files;
    run 2 binds files of that dir. The launcher must not follow the links
    on the host."""

    def plant(self, name, target):
        out = run_probe("probe", "symlink", target, "/rw/" + name, params={"RW_DIR": self.rw})
        self.assertResult(out, "ok")
        self.assertEqual(os.readlink(os.path.join(self.rw, name)), target)

    def test_optional_bind_does_not_follow_a_planted_symlink(self):
        with open(os.path.join(self.rw, "result.json"), "w") as f:
            f.write("{}\n")
        self.plant("main.py", self.secret)
        out = run_probe("probe_jobfiles", "cat", "/tmp/main.py", params={"JOB_DIR": self.rw})
        self.assertNotIn("host secret", out.stdout, "the host file leaked through the link\n" + out.describe())
        if out.returncode == 0:
            self.assertEqual(out.result, "ENOENT", out.describe())
        else:
            self.assertExit(out, 122)

    def test_rw_bind_does_not_write_through_a_planted_symlink(self):
        self.plant("result.json", self.secret)
        out = run_probe("probe_jobfiles", "overwrite", "/tmp/result.json", params={"JOB_DIR": self.rw})
        with open(self.secret) as f:
            self.assertEqual(f.read(), "host secret\n", "the job wrote a host file through the link\n"
                             + out.describe())
        self.assertExit(out, 122)


class PlantedReportTest(DataDirs):
    """The worker asks for the report inside the job's rw directory; the
    launcher opened it before the job, which replaces it. Writing the report
    must not follow what it planted (more in test_report.py)."""

    def test_report_does_not_follow_a_planted_symlink(self):
        report = os.path.join(self.rw, "report.json")
        script = "rm /rw/report.json && ln -s %s /rw/report.json" % self.secret
        args = launcher_args("probe", ["-c", script], {"RW_DIR": self.rw}, report, program="/bin/sh")
        out = run_launcher(args, report=report)
        self.assertExit(out, 0)
        self.assertTrue(os.path.isfile(report) and not os.path.islink(report), out.describe())
        with open(self.secret) as f:
            self.assertEqual(f.read(), "host secret\n", "the report went through the job's link\n" + out.describe())

    def test_report_does_not_hang_on_a_planted_fifo(self):
        report = os.path.join(self.rw, "report.json")
        args = launcher_args("probe", ["-c", "rm /rw/report.json && mkfifo /rw/report.json"], {"RW_DIR": self.rw},
                             report, program="/bin/sh")
        try:
            out = run_launcher(args, timeout=20, report=report)
        except subprocess.TimeoutExpired:
            self.fail("the launcher blocked opening the job's fifo as its report")
        self.assertExit(out, 0)
        self.assertEqual(out.report.get("status"), 0, out.describe())


class MountOrderTest(ProbeTest):
    """Each mount lands where the policy says, whatever was mounted before it
    (tests/policies/probe.policy, probe_mountorder)."""

    def test_mounts_nest_in_policy_order(self):
        script = ("cat /stack/a/inside; cat /stack/a/usr/share/note; test -d /stack/a/dir && echo dir; "
                  "test -x /stack/b/stockade-probe && echo b; test -x /stack/c/d/stockade-probe && echo d; "
                  "test -x /stack/a/usr/bin/env && echo usr; cat /proc/self/mountinfo")
        out = run_launcher(launcher_args("probe_mountorder", ["-c", script], program="/bin/sh"))
        self.assertEqual(out.returncode, 0, out.describe())
        lines = out.stdout.splitlines()
        self.assertEqual(lines[:6], ["inside", "note", "dir", "b", "d", "usr"], out.describe())
        mounts = {m: fs for m, fs, _ in sandbox_mounts(out)}
        self.assertEqual(mounts.get("/stack/a"), "tmpfs", out.describe())
        self.assertEqual(mounts.get("/stack/a/usr/share"), "tmpfs", out.describe())
        self.assertIn("/stack/a/usr", mounts, out.describe())
        self.assertIn("/stack/c/d", mounts, out.describe())
