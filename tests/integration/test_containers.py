# SPDX-License-Identifier: Apache-2.0
"""The launcher inside a container (README, "Running in containers"): a
nested sandbox imitating what a container runtime does to its processes.
Stockade works there, or exits 122 with one line naming the setting to
change, and its report says the same.

Imitated: Docker's and Kubernetes' masked /proc (files covered with
/dev/null, directories with an empty read-only tmpfs, some trees
read-only: the runtimes' default `maskedPaths` / `readonlyPaths`), in a
mount namespace of its own; a user-namespaced container (root inside
mapped to host ids 100000..165535, as Kubernetes' `hostUsers: false` or
Docker's userns-remap do), which cannot write the host's cgroups; and a
seccomp profile like Docker's default, which answers clone3 with ENOSYS,
or one that refuses namespaces with EPERM."""

import ctypes
import os
import platform
import shutil
import sys

from harness import EXIT_SETUP, ProbeTest, launcher_args, run_launcher

# The runtimes' defaults (moby's oci/defaults.go, the CRI's): what exists here is masked.
MASKED = ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
          "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi"]
READ_ONLY = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

# Classic BPF, by hand: no library between the test and the kernel.
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06
AUDIT_ARCH_X86_64 = 0xC000003E
NR_CLONE3 = 435
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
ENOSYS, EPERM = 38, 1


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


def clone3_refused_with(errno):
    """A preexec_fn installing a filter on the launcher: clone3 -> errno."""
    prog = [SockFilter(BPF_LD_W_ABS, 0, 0, 4),                 # arch
            SockFilter(BPF_JEQ_K, 0, 3, AUDIT_ARCH_X86_64),
            SockFilter(BPF_LD_W_ABS, 0, 0, 0),                 # nr
            SockFilter(BPF_JEQ_K, 0, 1, NR_CLONE3),
            SockFilter(BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | errno),
            SockFilter(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW)]
    array = (SockFilter * len(prog))(*prog)
    fprog = SockFprog(len(prog), array)
    libc = ctypes.CDLL(None, use_errno=True)

    def install():
        if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
            os._exit(99)
    return install


# A container runtime's user namespace: the child unshares, the parent
# writes its maps (as newuidmap would), the child becomes root inside.
USERNS = r"""
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
ready_r, ready_w = os.pipe()
go_r, go_w = os.pipe()
pid = os.fork()
if pid == 0:
    if libc.unshare(0x10000000 | 0x00020000) != 0:  # CLONE_NEWUSER | CLONE_NEWNS
        os._exit(98)
    os.write(ready_w, b"x")
    os.read(go_r, 1)
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)
    libc.mount(b"none", b"/", None, 0x40000 | 0x4000, None)  # MS_REC | MS_PRIVATE
    os.execv(sys.argv[1], sys.argv[1:])
os.read(ready_r, 1)
for name in ("uid_map", "gid_map"):
    with open("/proc/%d/%s" % (pid, name), "w") as f:
        f.write("0 100000 65536\n")
os.write(go_w, b"x")
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def masked_proc_script():
    """Shell lines a runtime's /proc masking comes down to."""
    lines = ["set -e"]
    for path in MASKED:
        if os.path.isdir(path):
            lines.append("mount -t tmpfs -o ro,size=0 stockade-mask %s" % path)
        elif os.path.exists(path):
            lines.append("mount --bind /dev/null %s" % path)
    for path in READ_ONLY:
        if os.path.exists(path):
            lines.append("mount --bind %s %s && mount -o remount,bind,ro %s" % (path, path, path))
    return lines


class InsideContainersTest(ProbeTest):
    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest("imitating a container runtime's mounts needs root")
        if shutil.which("unshare") is None:
            self.skipTest("unshare (util-linux) is missing")
        self.report = os.path.join(self.make_tempdir(), "report.json")

    def in_mount_namespace(self, lines, args, **kw):
        script = "\n".join(lines + ['exec "$@"'])
        wrapped = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"] + args
        return run_launcher(wrapped, report=self.report, **kw)

    def probe_args(self):
        return launcher_args("probe", ["exit", "0"], None, self.report)

    def assertNamesTheSetting(self, out, step, *needles):
        self.assertExit(out, EXIT_SETUP)
        self.assertOneLineError(out, "stockade: %s: " % step, *needles)
        self.assertIsNotNone(out.report, out.describe())
        self.assertEqual(out.report["step"], step, out.describe())
        self.assertEqual("stockade: " + out.report["message"], out.stderr.strip())

    def test_works_in_a_mount_namespace_with_an_unmasked_proc(self):
        # The positive control: the same nesting without the masks.
        out = self.in_mount_namespace([], self.probe_args())
        self.assertExit(out, 0)

    def test_masked_proc_is_one_line_naming_procmount(self):
        lines = masked_proc_script()
        if len(lines) == 1:
            self.skipTest("none of the paths runtimes mask exist here")
        out = self.in_mount_namespace(lines, self.probe_args())
        self.assertNamesTheSetting(out, "proc", "fsmount /proc: Operation not permitted",
                                   "procMount: Unmasked", "systempaths=unconfined")

    def _skip_unless_x86_64(self):
        if platform.machine() != "x86_64":
            self.skipTest("the hand-written filter checks AUDIT_ARCH_X86_64 only")

    def test_dockers_default_seccomp_profile_is_one_line_naming_the_profile(self):
        self._skip_unless_x86_64()
        out = run_launcher(self.probe_args(), preexec_fn=clone3_refused_with(ENOSYS), report=self.report)
        self.assertNamesTheSetting(out, "namespaces", "clone3", "Function not implemented",
                                   "seccompProfile", "--security-opt seccomp=")

    def test_refused_user_namespaces_are_one_line_naming_the_settings(self):
        self._skip_unless_x86_64()
        out = run_launcher(self.probe_args(), preexec_fn=clone3_refused_with(EPERM), report=self.report)
        self.assertNamesTheSetting(out, "namespaces", "clone3", "Operation not permitted",
                                   "user.max_user_namespaces", "seccomp profile")


class UserNamespacedContainerTest(ProbeTest):
    """Root inside a user namespace, as a user-namespaced container: no
    write access to the host's cgroups."""

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest("mapping a container's id range needs root")
        self.tools = self.tools_for_everyone()
        top = self.make_tempdir()
        os.chmod(top, 0o777)
        self.report = os.path.join(top, "report.json")

    def run_inside(self, policy):
        args = launcher_args(policy, ["exit", "0"], None, self.report, tools=self.tools)
        return run_launcher([sys.executable, "-c", USERNS] + args, report=self.report)

    def test_a_job_without_cgroup_limits_runs_and_reports(self):
        out = self.run_inside("probe")
        self.assertExit(out, 0)
        self.assertEqual((out.report["status"], out.report["reason"]), (0, "exited"), out.describe())
        self.assertOneLineError(out, "stockade: cgroup: cannot make the job's cgroup here")

    def test_cgroup_limits_are_one_line_naming_the_cgroup(self):
        out = self.run_inside("probe_cgroup")
        self.assertExit(out, EXIT_SETUP)
        self.assertOneLineError(out, "stockade: cgroup: mkdir /sys/fs/cgroup/", "Permission denied",
                                "--cgroup", "Running in containers")
        self.assertEqual(out.report["step"], "cgroup", out.describe())
