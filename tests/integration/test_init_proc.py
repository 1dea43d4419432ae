# SPDX-License-Identifier: Apache-2.0
"""What a job can do to its sandbox's init, and to /proc, when the policy
says no: with the user namespace off (NEWUSER=false) init is host uid 0 and
must hold no capability but CAP_KILL once the job runs; the job can neither
signal, trace nor read it. `proc /proc ro` is read-only throughout, as the
policy, `stockade show` and the README say."""

import os
import shutil

from harness import ProbeTest, need, probe_host_path, run_launcher, run_probe

CAP_KILL = 1 << 5


def status_fields(text):
    out = {}
    for ln in text.splitlines():
        key, _, value = ln.partition(":")
        out[key] = value.strip()
    return out


class InitCapabilitiesTest(ProbeTest):
    def init_status(self, policy="probe_hostids"):
        # The job reads init's status a moment after it starts: init drops
        # its capabilities right after the job's execve.
        out = run_probe(policy, "-c", "sleep 0.3; cat /proc/1/status", program="/bin/sh")
        self.assertEqual(out.returncode, 0, out.describe())
        return status_fields(out.stdout), out

    def test_init_keeps_only_cap_kill_without_a_user_namespace(self):
        fields, out = self.init_status()
        self.assertEqual(fields.get("Uid", "").split(), ["0"] * 4, out.describe())
        for key in ("CapEff", "CapPrm", "CapBnd"):
            self.assertEqual(int(fields[key], 16), CAP_KILL, key + "\n" + out.describe())
        for key in ("CapInh", "CapAmb"):
            self.assertEqual(int(fields[key], 16), 0, key + "\n" + out.describe())
        self.assertEqual(fields.get("Groups"), "", "init kept the launcher's groups\n" + out.describe())

    def test_init_keeps_only_cap_kill_in_a_user_namespace(self):
        fields, out = self.init_status("probe")
        for key in ("CapEff", "CapPrm", "CapBnd"):
            self.assertEqual(int(fields[key], 16), CAP_KILL, key + "\n" + out.describe())

    def test_job_cannot_signal_trace_or_read_init(self):
        # No seccomp filter in probe_hostids: these are the kernel's answers
        # to a job of another uid with no capabilities.
        attempts = [
            (("kill", "1", "15"), "EPERM"),
            (("kill", "1", "9"), "EPERM"),
            (("kill", "1", "0"), "EPERM"),
            (("ptrace", "1"), "EPERM"),
            (("vmread", "1"), "EPERM"),
            (("read", "/proc/1/environ"), "EACCES"),
            (("read", "/proc/1/mem"), "EACCES"),
            (("ls", "/proc/1/root/"), "EACCES"),
            (("ls", "/proc/1/fd/"), "EACCES"),
        ]
        for args, expected in attempts:
            self.assertResult(run_probe("probe_hostids", *args), expected, " ".join(args))
        # Positive control: the same job may signal and read itself.
        self.assertResult(run_probe("probe_hostids", "read", "/proc/self/environ"), "ok")

    def test_shipped_policy_with_newuser_false(self):
        launcher = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, launcher and os.path.exists(launcher), "the shipped launcher was not given")
        job = self.make_tempdir()
        os.chmod(job, 0o755)
        for name in ("main.sh", "result.json", "result.out", "result2.out"):
            open(os.path.join(job, name), "w").close()
        out = run_launcher([launcher, "run", "bash", "--param", "JOB_DIR=" + job, "--param", "NEWUSER=false", "--",
                            "/bin/sh", "-c", "sleep 0.3; cat /proc/1/status; kill -TERM 1 2>/dev/null && echo signalled; true"])
        self.assertEqual(out.returncode, 0, out.describe())
        fields = status_fields(out.stdout)
        self.assertEqual(int(fields["CapEff"], 16), CAP_KILL, out.describe())
        self.assertEqual(int(fields["CapBnd"], 16), CAP_KILL, out.describe())
        self.assertNotIn("signalled", out.stdout, out.describe())


class ProcReadOnlyTest(ProbeTest):
    # Each one the job may open for writing on a rw proc (the control below).
    WRITES = ("/proc/self/comm", "/proc/self/sched", "/proc/self/oom_score_adj", "/proc/self/coredump_filter",
              "/proc/self/attr/current", "/proc/self/clear_refs", "/proc/self/timerslack_ns")

    def test_shipped_proc_ro_refuses_every_write(self):
        launcher = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, launcher and os.path.exists(launcher), "the shipped launcher was not given")
        job = self.make_tempdir()
        os.chmod(job, 0o755)
        shutil.copy(probe_host_path(), os.path.join(job, "main.sh"))
        os.chmod(os.path.join(job, "main.sh"), 0o755)
        for name in ("result.json", "result.out", "result2.out"):
            open(os.path.join(job, name), "w").close()
        for path in self.WRITES:
            out = run_launcher([launcher, "run", "bash", "--param", "JOB_DIR=" + job, "--", "/tmp/main.sh",
                                "overwrite", path])
            self.assertResult(out, "EROFS", path)
        out = run_launcher([launcher, "run", "bash", "--param", "JOB_DIR=" + job, "--", "/tmp/main.sh",
                            "cat", "/proc/self/mountinfo"])
        proc_line = [ln for ln in out.stdout.splitlines() if ln.split()[4:5] == ["/proc"]]
        self.assertEqual(len(proc_line), 1, out.describe())
        self.assertIn("ro", proc_line[0].split()[5].split(","), proc_line[0])

    def test_proc_without_ro_stays_writable(self):
        # Positive control: tests/policies' `proc /proc` (no flag) is rw, so
        # the EROFS above comes from the flag, not from proc itself.
        # (EINVAL: opened for writing, the probe's text refused.)
        for path in self.WRITES:
            out = run_probe("probe", "overwrite", path)
            self.assertIn(out.result, ("ok", "EINVAL"), path + "\n" + out.describe())
