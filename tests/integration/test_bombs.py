"""Resource bombs under the shipped `bun` and `go` policies, whose Windmill
configs disable rlimits (disable_rl) for the JITs' sake: the fork bomb stops
at the job's pids cgroup, the memory bomb at its memory cgroup, the fd bomb
at RLIMIT_NOFILE, the file-size bomb at RLIMIT_FSIZE, a CPU burn at the time
limit; the report's CPU time and peak memory are the job's also after a
kill; a worker's SIGKILL to the launcher's process group leaves no process,
mount or cgroup. The probe stands in for the user's program (bun's main.js,
go's compiled main); it is static, so no runtime needs to be installed."""

import os
import shutil
import signal
import subprocess
import json
import tempfile

from harness import (EXIT_OOM, EXIT_TIMEOUT, LAUNCHED, ProbeTest, Snapshot, base_env, need,
                     pids_with_marker, probe_host_path, run_launcher, stop, unique, wait_for)
from test_cgroup_v2 import cgroup2_mount
from test_limits import cgroup_controller, limits_table

NOBODY = 65534

# policies/base.policy: the defaults every shipped policy has.
PIDS_MAX = 1024
MEMORY_MAX = 4 << 30
NOFILE = 10000
FSIZE = 1000 << 20
CPU_S = 1000

# Where each policy runs the job's program, and the files its worker makes.
SHIPPED = {
    "bun": ("main.js", "/tmp/bun", ("args.json", "result.json")),
    "go": ("main", "/tmp/go", ("args.json", "result.json")),
}


def v1_dir(controller, launcher_pid):
    """The job's v1 cgroup directory for `controller`, below the test's own."""
    with open("/proc/self/cgroup") as f:
        for ln in f:
            _, names, path = ln.rstrip("\n").split(":", 2)
            if controller in names.split(","):
                return os.path.join("/sys/fs/cgroup", controller, path.lstrip("/"), "stockade-%d" % launcher_pid)
    return None


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for ln in f:
                if ln.startswith("VmRSS:"):
                    return int(ln.split()[1])
    except OSError:
        pass
    return 0


def read(path):
    with open(path) as f:
        return f.read().strip()


class ShippedBombTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.launcher = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, self.launcher and os.path.exists(self.launcher), "the shipped launcher was not given")
        self.jobs = {}
        for policy, (program, _, files) in SHIPPED.items():
            job = self.make_tempdir()
            os.chmod(job, 0o755)
            shutil.copy(probe_host_path(), os.path.join(job, program))
            os.chmod(os.path.join(job, program), 0o755)
            for name in files:
                with open(os.path.join(job, name), "w") as f:
                    f.write("{}\n")
            self.jobs[policy] = job

    def argv(self, policy, args, params=None, report=None, program=None):
        """The launcher's argv; `program` (default: the probe as the job's
        program) is the sandbox path of what runs."""
        name, home, _ = SHIPPED[policy]
        argv = [self.launcher, "run", policy, "--param", "JOB_DIR=" + self.jobs[policy]]
        for key, value in (params or {}).items():
            argv += ["--param", "%s=%s" % (key, value)]
        if report:
            argv += ["--report", report]
        return argv + ["--", program or os.path.join(home, name)] + list(args)

    def run_job(self, policy, *args, params=None, with_report=False, timeout=120, preexec_fn=None):
        report = None
        if with_report:
            tmp = tempfile.mkdtemp(prefix="stockade-report-")
            self.addCleanup(shutil.rmtree, tmp, True)
            report = os.path.join(tmp, "report.json")
        return run_launcher(self.argv(policy, args, params, report), timeout=timeout, report=report,
                            preexec_fn=preexec_fn)

    def start_job(self, policy, *args, params=None, report=None):
        proc = subprocess.Popen(self.argv(policy, args, params, report), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=base_env(),
                                preexec_fn=os.setpgrp)
        LAUNCHED.add(proc.pid)
        self.addCleanup(stop, proc)
        return proc

    def job_pid(self, marker):
        """The job's host pid (the program, not the launcher or init)."""
        def find():
            # The job's program lives under /tmp inside the sandbox; the
            # launcher and init carry the marker too, and the launcher
            # itself may live under /tmp (a CI clone there).
            for pid, argv in pids_with_marker(marker).items():
                if argv and argv[0].startswith("/tmp/") and argv[0] != self.launcher:
                    return pid
            return None
        return wait_for(find, timeout=10)

    # ------------------------------------------------------------ defaults

    def test_default_limits_as_the_host_sees_them(self):
        """The figures of policies/base.policy on the running job: its
        cgroups' pids.max and memory limit, its rlimits; no `as` limit and
        no per-uid RLIMIT_NPROC (every job is uid 65534 on the host)."""
        need(self, cgroup_controller("pids") and cgroup_controller("memory"), "no pids or memory cgroup controller")
        need(self, not os.path.exists("/sys/fs/cgroup/cgroup.controllers"), "cgroup v2 holds the controllers "
             "(the v1 figures are read here; test_cgroup_v2 covers v2)")
        for policy in SHIPPED:
            with self.subTest(policy=policy):
                marker = unique("limits")
                proc = self.start_job(policy, "sleep", "60", marker)
                pid = self.job_pid(marker)
                self.assertIsNotNone(pid, "the job never started")
                self.assertEqual(read(os.path.join(v1_dir("pids", proc.pid), "pids.max")), str(PIDS_MAX))
                self.assertEqual(read(os.path.join(v1_dir("memory", proc.pid), "memory.limit_in_bytes")),
                                 str(MEMORY_MAX))
                with open("/proc/%d/limits" % pid) as f:
                    table = limits_table(f.read())
                with open("/proc/self/limits") as f:
                    ours = limits_table(f.read())
                self.assertEqual(table["Max open files"], (str(NOFILE), str(NOFILE)))
                self.assertEqual(table["Max file size"], (str(FSIZE), str(FSIZE)))
                self.assertEqual(table["Max cpu time"], (str(CPU_S), str(CPU_S)))
                self.assertEqual(table["Max core file size"], ("0", "0"))
                self.assertEqual(table["Max address space"], ("unlimited", "unlimited"), "an `as` limit breaks JITs")
                self.assertEqual(table["Max processes"], ours["Max processes"], "RLIMIT_NPROC is per uid")
                stop(proc)

    # ------------------------------------------------------------ bombs

    def test_fork_bomb_stops_at_the_pids_cgroup(self):
        need(self, cgroup_controller("pids"), "no pids cgroup controller")
        for policy in SHIPPED:
            with self.subTest(policy=policy):
                out = self.run_job(policy, "forkbomb", "100000")
                self.assertResult(out, "EAGAIN")
                forked = int(out.value("forked"))
                # PIDS_MAX tasks in all: init, the job and its children.
                self.assertLessEqual(forked, PIDS_MAX - 2, out.describe())
                self.assertGreater(forked, PIDS_MAX // 2, out.describe())
                out = self.run_job(policy, "forkbomb", "100000", params={"PIDS_MAX": "64"})
                self.assertResult(out, "EAGAIN")
                self.assertLessEqual(int(out.value("forked")), 62, out.describe())

    def test_fork_bombs_of_two_jobs_are_counted_apart(self):
        """Per-job accounting: one job holding most of its pids leaves another
        job (same host uid) its whole allowance."""
        need(self, cgroup_controller("pids"), "no pids cgroup controller")
        marker = unique("pids")
        holder = self.start_job("go", "forkbomb", "100000", "hold", marker)
        self.addCleanup(stop, holder)
        # The first job's children wait in pause() until it is killed.
        full = wait_for(lambda: len(pids_with_marker(marker)) >= PIDS_MAX - 2, timeout=30)
        self.assertTrue(full, "the first bomb did not fill its cgroup: %d" % len(pids_with_marker(marker)))
        out = self.run_job("bun", "forkbomb", "100")
        self.assertResult(out, "ok")
        self.assertEqual(out.value("forked"), "100", out.describe())

    def test_memory_bomb_is_killed_by_the_memory_cgroup(self):
        need(self, cgroup_controller("memory"), "no memory cgroup controller")
        for policy in SHIPPED:
            with self.subTest(policy=policy):
                out = self.run_job(policy, "membomb", "1024", params={"MEMORY_MAX": "128MiB"}, with_report=True)
                self.assertExit(out, EXIT_OOM)
                self.assertIsNone(out.result, "1 GiB allocated under a 128 MiB limit\n" + out.describe())
                self.assertEqual(out.report.get("reason"), "oom", out.report)
                peak = out.report["peak_memory_bytes"]
                self.assertLessEqual(peak, 128 << 20, out.report)
                self.assertGreater(peak, 64 << 20, out.report)

    def test_fd_bomb_stops_at_nofile(self):
        for policy in SHIPPED:
            with self.subTest(policy=policy):
                out = self.run_job(policy, "nofile")
                self.assertResult(out, "EMFILE")
                self.assertEqual(out.value("highest_fd"), str(NOFILE - 1))

    def test_file_size_bomb_stops_at_fsize_on_a_host_file(self):
        """result.json is a read-write bind of a host file: without RLIMIT_FSIZE
        a job fills the worker's disk through it."""
        for policy in SHIPPED:
            with self.subTest(policy=policy):
                _, home, _ = SHIPPED[policy]
                host = os.path.join(self.jobs[policy], "result.json")
                out = self.run_job(policy, "fsize", str(FSIZE + (64 << 20)), home + "/result.json", "ignore")
                size = os.path.getsize(host)
                os.truncate(host, 0)
                self.assertResult(out, "EFBIG")
                self.assertEqual(out.value("written"), str(FSIZE))
                self.assertEqual(size, FSIZE)
                out = self.run_job(policy, "fsize", str(FSIZE + (64 << 20)), home + "/result.json")
                os.truncate(host, 0)
                self.assertExit(out, 128 + signal.SIGXFSZ)

    def test_cpu_burn_ends_at_the_time_limit_with_its_cpu_time_reported(self):
        """Killed by the time limit; the report counts the CPU the job burnt
        (from the cgroup: init never reaped the job it died with)."""
        for policy in SHIPPED:
            with self.subTest(policy=policy):
                out = self.run_job(policy, "spin", "60", params={"TIMEOUT": "2s"}, with_report=True)
                self.assertExit(out, EXIT_TIMEOUT)
                self.assertEqual(out.report.get("reason"), "timeout", out.report)
                cpu = out.report["user_ms"] + out.report["sys_ms"]
                print("\nmeasured: %s: %d ms CPU reported for a spin killed after %d ms" %
                      (policy, cpu, out.report["wall_ms"]))
                # A spinning job on an idle core: ~2000 ms; before the fix
                # the report said 1 ms. The floor is far above the bug and far
                # below what a 2-core machine loaded by parallel builds gave
                # (196 ms once), so load never fails it.
                self.assertGreater(cpu, 20, out.report)
                self.assertLessEqual(cpu, out.report["wall_ms"] + 100, out.report)

    # ------------------------------------------------------------ report after a kill

    def test_peak_memory_and_cpu_after_time_limit_and_signal_kills(self):
        need(self, cgroup_controller("memory"), "no memory cgroup controller")
        out = self.run_job("go", "membomb", "200", "hold", params={"TIMEOUT": "2s"}, with_report=True)
        self.assertExit(out, EXIT_TIMEOUT)
        self.assertEqual(out.value("allocated_mib"), "200", out.describe())
        self.assertGreaterEqual(out.report["peak_memory_bytes"], 200 << 20, out.report)
        # Touching 200 MiB takes CPU (page faults): the report has it.
        self.assertGreater(out.report["user_ms"] + out.report["sys_ms"], 10, out.report)

        # The worker's cancel: SIGTERM (forwarded; the probe dies of it).
        tmp = tempfile.mkdtemp(prefix="stockade-report-")
        self.addCleanup(shutil.rmtree, tmp, True)
        report = os.path.join(tmp, "report.json")
        marker = unique("held")
        proc = self.start_job("go", "membomb", "200", "hold", marker, report=report)
        pid = self.job_pid(marker)
        self.assertIsNotNone(pid, "the job never started")
        self.assertTrue(wait_for(lambda: rss_kib(pid) >= 200 << 10, timeout=30), "the job never allocated")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 128 + signal.SIGTERM)
        with open(report) as f:
            data = json.load(f)
        self.assertEqual(data.get("reason"), "signaled", data)
        self.assertGreaterEqual(data["peak_memory_bytes"], 200 << 20, data)
        self.assertGreater(data["user_ms"] + data["sys_ms"], 10, data)

    def test_shipped_limits_through_a_delegated_cgroup2(self):
        """The v2 path (`--cgroup DIR`): where DIR offers pids and memory the
        job's cgroup gets PIDS_MAX and MEMORY_MAX; where it does not (this
        VM's controller-less cgroup2 mount), the launch is refused with one
        line before anything runs, never run without its limits."""
        root = cgroup2_mount()
        need(self, root is not None, "no cgroup2 hierarchy mounted")
        parent = os.path.join(root, unique("stockade-test"))
        os.mkdir(parent)
        self.addCleanup(os.rmdir, parent)
        with open(os.path.join(parent, "cgroup.controllers")) as f:
            available = f.read().split()
        argv = self.argv("go", ["-c", "echo ran"], program="/bin/sh")
        argv = argv[:3] + ["--cgroup", parent] + argv[3:]
        out = run_launcher(argv)
        if "pids" in available and "memory" in available:
            self.assertEqual(out.returncode, 0, out.describe())
        else:
            self.assertEqual(out.returncode, 122, out.describe())
            self.assertOneLineError(out, "cgroup.subtree_control")
            self.assertEqual(out.stdout, "", "the job ran without its limits")
        self.assertEqual([d for d in os.listdir(parent) if d.startswith("stockade-")], [])

    # ------------------------------------------------------------ the worker's SIGKILL

    def test_process_group_sigkill_leaves_nothing(self):
        """Windmill ends a job that outlived its time-out with SIGKILL to the
        launcher's process group (`kill -KILL -- -PGID`): launcher, init and
        a job that keeps the session (`session keep`) all die at once. The
        cgroup keeper is not in that group and removes the job's cgroups."""
        for policy in SHIPPED:
            with self.subTest(policy=policy):
                snapshot = Snapshot()
                marker = unique("pgkill")
                proc = self.start_job(policy, "sleep", "600", marker)
                self.assertIsNotNone(self.job_pid(marker), "the job never started")
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate(timeout=30)
                self.assertEqual(proc.returncode, -signal.SIGKILL)
                self.assertTrue(wait_for(lambda: not pids_with_marker(marker), timeout=5),
                                "processes outlived the kill: %s" % pids_with_marker(marker))
                self.assertEqual(snapshot.new_mounts(), [], "mounts left behind")
                left = wait_for(lambda: snapshot.new_cgroups() == [], timeout=5) or snapshot.new_cgroups()
                self.assertIs(left, True, "cgroups left after the process-group SIGKILL: %s" % left)


def as_nobody():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class RootlessShippedBombTest(ShippedBombTest):
    """The same policies started by an ordinary user: no cgroup (a note says
    so), but the rlimits hold."""

    def setUp(self):
        super().setUp()
        # The launcher and the job directories must be reachable by nobody.
        top = self.make_tempdir()
        os.chmod(top, 0o755)
        exe = os.path.join(top, "stockade")
        shutil.copy(self.launcher, exe)
        os.chmod(exe, 0o755)
        self.launcher = exe
        # An ordinary worker owns its job directories.
        for job in self.jobs.values():
            for name in os.listdir(job):
                os.chown(os.path.join(job, name), NOBODY, NOBODY)
            os.chown(job, NOBODY, NOBODY)

    def run_job(self, policy, *args, **kwargs):
        return super().run_job(policy, *args, preexec_fn=as_nobody, **kwargs)

    # Cgroup tests need root (or a delegated cgroup: test_cgroup_v2).
    test_default_limits_as_the_host_sees_them = None
    test_fork_bomb_stops_at_the_pids_cgroup = None
    test_fork_bombs_of_two_jobs_are_counted_apart = None
    test_memory_bomb_is_killed_by_the_memory_cgroup = None
    test_peak_memory_and_cpu_after_time_limit_and_signal_kills = None
    test_process_group_sigkill_leaves_nothing = None
    test_shipped_limits_through_a_delegated_cgroup2 = None
    test_cpu_burn_ends_at_the_time_limit_with_its_cpu_time_reported = None
