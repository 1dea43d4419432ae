"""Landlock scoping (runtime/landlock.cc): with `network host` the job shares
the worker's network namespace, so abstract unix socket names are shared
too; Landlock's scope (ABI 6, Linux 6.12) keeps the job from connecting to
one it did not create, and from signalling processes outside its own
domain. Where the kernel lacks it the launcher says so on stderr and the
tests here skip visibly."""

import ctypes
import socket

from harness import ProbeTest, need, run_probe, run_probe_on_host, unique

LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
LANDLOCK_CREATE_RULESET_VERSION = 1
SCOPE_ABI = 6
SKIP_NOTE = "stockade: landlock: abstract unix socket scoping unavailable (ABI %d < 6): skipped"


def landlock_abi():
    """The kernel's Landlock ABI version; 0 where Landlock is missing or off."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(ctypes.c_long(LANDLOCK_CREATE_RULESET), None, ctypes.c_size_t(0),
                       ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return abi if abi >= 0 else 0


class LandlockScopeTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.abi = landlock_abi()
        self.name = unique("stockade-it-landlock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(self.listener.close)
        self.listener.bind("\0" + self.name)
        self.listener.listen(16)

    def connect_from_host(self):
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            return client.connect_ex("\0" + self.name)
        finally:
            client.close()

    def test_host_can_reach_the_listener(self):
        # Positive control: the name is live, so a refusal below is the scope.
        self.assertEqual(self.connect_from_host(), 0)
        # and the probe's own connect works there too.
        self.assertResult(run_probe_on_host("unix-abstract", self.name), "ok")

    def test_hostnet_job_cannot_reach_host_abstract_socket(self):
        need(self, self.abi >= SCOPE_ABI, "landlock ABI %d < 6" % self.abi)
        self.assertEqual(self.connect_from_host(), 0)
        out = run_probe("probe_hostnet", "unix-abstract", self.name)
        self.assertResult(out, "EPERM")
        self.assertNotIn("landlock", out.stderr, out.describe())

    def test_hostnet_job_still_reaches_host_tcp(self):
        # Only abstract sockets are scoped: `network host` keeps the host's TCP.
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(tcp.close)
        tcp.bind(("127.0.0.1", 0))
        tcp.listen(16)
        self.assertResult(run_probe("probe_hostnet", "tcp", "127.0.0.1", str(tcp.getsockname()[1])), "ok")

    def test_job_cannot_signal_init(self):
        # pid 1 (init) is the job's parent, same uid, outside its domain:
        # without the signal scope kill(1, 0) succeeds.
        need(self, self.abi >= SCOPE_ABI, "landlock ABI %d < 6" % self.abi)
        self.assertResult(run_probe("probe_hostnet", "kill", "1", "0"), "EPERM")
        self.assertResult(run_probe("probe", "kill", "1", "0"), "EPERM")

    def test_job_can_signal_its_own_group(self):
        # The scope is not a blanket refusal: the job's own processes stay
        # reachable (kill(0, 0): its process group, itself after setsid).
        self.assertResult(run_probe("probe_hostnet", "kill", "0", "0"), "ok")

    def test_unsupported_kernel_says_so(self):
        # Where scoping is missing the launcher names the ABI on stderr once.
        out = run_probe("probe_hostnet", "unix-abstract", self.name)
        if self.abi >= SCOPE_ABI:
            self.assertNotIn("landlock", out.stderr, out.describe())
        else:
            self.assertEqual(out.stderr.count(SKIP_NOTE % self.abi), 1, out.describe())
            self.assertResult(out, "ok")
