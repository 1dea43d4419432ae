# SPDX-License-Identifier: Apache-2.0
"""Abstract unix sockets and signals (runtime/landlock.cc, runtime/net.cc,
runtime/seccomp/unix_guard.cc): with `network host` the job shares the
worker's network namespace, so abstract unix socket names are shared too.
Landlock's scope (ABI 6, Linux 6.12) keeps the job from connecting to one it
did not create, and from signalling processes outside its own domain. Where
the kernel lacks it (Debian 12's 6.1, Ubuntu's stock kernels) the launcher
stacks the unix-socket guard instead: socket(AF_UNIX) and datagram
socketpairs refused, unless a mounted `socket` bind lifts it.

The test launcher's switch STOCKADE_TEST_NO_LANDLOCK_SCOPE=1
(runtime/test_switch.h) forces that fallback on a kernel that has the
scope, so every break-out below runs both ways here; on an old kernel the
fallback is simply the normal path."""

import os
import shutil
import socket
import tempfile
import ctypes

from harness import (EXIT_SECCOMP, ProbeTest, need, probe_host_path, run_launcher, run_probe,
                     run_probe_on_host, unique)

LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
LANDLOCK_CREATE_RULESET_VERSION = 1
SCOPE_ABI = 6
FORCE = {"STOCKADE_TEST_NO_LANDLOCK_SCOPE": "1"}
NOTE = "stockade: landlock: abstract unix socket scoping unavailable"
REFUSED = "socket(AF_UNIX) refused instead"
NOT_NEEDED = "not needed: the job has its own network namespace"
LIFTED = "unix sockets allowed for /tmp/test.sock: the host's abstract sockets are reachable"


def landlock_abi():
    """The kernel's Landlock ABI version; 0 where Landlock is missing or off."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(ctypes.c_long(LANDLOCK_CREATE_RULESET), None, ctypes.c_size_t(0),
                       ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return abi if abi >= 0 else 0


class AbstractSocketTest(ProbeTest):
    """A host listener on an abstract name (stream, and datagram for the
    socketpair route); each break-out runs with the scope and through the
    fallback."""

    def setUp(self):
        super().setUp()
        self.abi = landlock_abi()
        self.name = unique("stockade-it-landlock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(self.listener.close)
        self.listener.bind("\0" + self.name)
        self.listener.listen(16)
        self.dgram_name = self.name + "-dgram"
        self.dgram = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(self.dgram.close)
        self.dgram.bind("\0" + self.dgram_name)

    def connect_from_host(self):
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            return client.connect_ex("\0" + self.name)
        finally:
            client.close()

    def modes(self):
        """(label, env) for each way this kernel can run: the scope (where
        there is one) and the fallback (forced where the scope exists)."""
        if self.abi >= SCOPE_ABI:
            return [("scope", None), ("fallback", FORCE)]
        return [("fallback", None)]

    def assertFallbackNote(self, out, what):
        self.assertEqual(out.stderr.count(NOTE), 1, out.describe())
        self.assertIn(what, out.stderr, out.describe())

    def test_host_can_reach_the_listeners(self):
        # Positive control: the names are live, so a refusal below is ours.
        self.assertEqual(self.connect_from_host(), 0)
        self.assertResult(run_probe_on_host("unix-abstract", self.name), "ok")
        self.assertResult(run_probe_on_host("unix-dgram-pair-abstract", self.dgram_name), "ok")

    def test_hostnet_job_cannot_connect_to_host_abstract_socket(self):
        self.assertEqual(self.connect_from_host(), 0)
        for label, env in self.modes():
            with self.subTest(label):
                out = run_probe("probe_hostnet", "unix-abstract", self.name, env=env)
                self.assertResult(out, "EPERM")
                if label == "scope":
                    self.assertNotIn("landlock", out.stderr, out.describe())
                else:
                    self.assertFallbackNote(out, REFUSED)

    def test_hostnet_job_cannot_send_from_a_datagram_socketpair(self):
        # socketpair makes a unix socket without socket(2); a datagram end
        # can sendto() any name, so the guard refuses that kind too.
        for label, env in self.modes():
            with self.subTest(label):
                out = run_probe("probe_hostnet", "unix-dgram-pair-abstract", self.dgram_name, env=env)
                self.assertResult(out, "EPERM")
        self.dgram.setblocking(False)
        with self.assertRaises(BlockingIOError):
            self.dgram.recv(16)  # nothing arrived from either run

    def test_stream_socketpair_still_works(self):
        # multiprocessing and asyncio need them; they have no address.
        for label, env in self.modes():
            with self.subTest(label):
                self.assertResult(run_probe("probe_hostnet", "unix-stream-pair", env=env), "ok")

    def test_hostnet_job_still_reaches_host_tcp(self):
        # Only unix sockets are touched: `network host` keeps the host's TCP.
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(tcp.close)
        tcp.bind(("127.0.0.1", 0))
        tcp.listen(16)
        for label, env in self.modes():
            with self.subTest(label):
                out = run_probe("probe_hostnet", "tcp", "127.0.0.1", str(tcp.getsockname()[1]), env=env)
                self.assertResult(out, "ok")

    def test_own_network_namespace_needs_no_guard(self):
        # Abstract names are per network namespace: with `network none` the
        # host's listener is out of reach anyway and unix sockets stay.
        out = run_probe("probe", "unix-abstract", self.name, env=FORCE if self.abi >= SCOPE_ABI else None)
        self.assertResult(out, "ECONNREFUSED")
        self.assertFallbackNote(out, NOT_NEEDED)

    def test_an_unset_socket_bind_lifts_nothing(self):
        # The lift follows the mount: an optional `socket` bind left unset
        # keeps the guard.
        for label, env in self.modes():
            with self.subTest(label):
                out = run_probe("probe_hostnet_socket_unset", "unix-abstract", self.name, env=env)
                self.assertResult(out, "EPERM")

    def test_guard_stacks_with_a_policy_filter_and_its_listener(self):
        # The policy's own filter (with the launcher's seccomp listener)
        # still kills what it kills, and the guard still refuses.
        for label, env in self.modes():
            with self.subTest(label):
                self.assertResult(run_probe("probe_hostnet_notify", "unix-abstract", self.name, env=env), "EPERM")
                out = run_probe("probe_hostnet_notify", "uname", env=env)
                self.assertExit(out, EXIT_SECCOMP)
                self.assertResult(run_probe("probe_hostnet_notify", "unix-stream-pair", env=env), "ok")


class ShippedLauncherTest(ProbeTest):
    """The shipped launcher has no test switch (its build has no
    STOCKADE_TEST_SWITCHES): the variable changes nothing there."""

    def setUp(self):
        super().setUp()
        self.launcher = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, self.launcher and os.path.exists(self.launcher), "the shipped launcher was not given")
        with open(self.launcher, "rb") as f:
            self.binary = f.read()

    def test_switch_is_not_in_the_shipped_launcher(self):
        for name in (b"STOCKADE_TEST_NO_LANDLOCK_SCOPE", b"STOCKADE_TEST_NO_IDMAP"):
            self.assertFalse(name in self.binary, name)


class LiftedSocketTest(ProbeTest):
    """A job that needs a pathname socket (the bash policy's podman socket):
    the `socket` bind lifts the guard, and the launcher says what that opens."""

    def setUp(self):
        super().setUp()
        self.abi = landlock_abi()
        self.dir = tempfile.mkdtemp(prefix="stockade-it-sock-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(self.listener.close)
        self.listener.bind(os.path.join(self.dir, "test.sock"))
        os.chmod(os.path.join(self.dir, "test.sock"), 0o666)
        self.listener.listen(16)
        self.name = unique("stockade-it-lifted")
        self.abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(self.abstract.close)
        self.abstract.bind("\0" + self.name)
        self.abstract.listen(16)

    def run_lifted(self, *args, env=None):
        return run_probe("probe_hostnet_socket", *args, params={"SOCK_DIR": self.dir}, env=env)

    def test_pathname_socket_works_through_the_fallback(self):
        out = self.run_lifted("unix-path", "/tmp/test.sock", env=FORCE if self.abi >= SCOPE_ABI else None)
        self.assertResult(out, "ok")
        self.assertEqual(out.stderr.count(NOTE), 1, out.describe())
        self.assertIn(LIFTED, out.stderr, out.describe())

    def test_pathname_socket_works_with_the_scope(self):
        need(self, self.abi >= SCOPE_ABI, "landlock ABI %d < 6" % self.abi)
        out = self.run_lifted("unix-path", "/tmp/test.sock")
        self.assertResult(out, "ok")
        self.assertNotIn("landlock", out.stderr, out.describe())
        # and the scope still keeps the host's abstract names closed.
        self.assertResult(self.run_lifted("unix-abstract", self.name), "EPERM")

    def test_lifted_fallback_is_never_silent(self):
        # What the lift costs on an old kernel, pinned: the host's abstract
        # sockets are reachable, and stderr says so in the same run.
        out = self.run_lifted("unix-abstract", self.name, env=FORCE if self.abi >= SCOPE_ABI else None)
        self.assertResult(out, "ok")
        self.assertIn(LIFTED, out.stderr, out.describe())


class SignalScopeTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.abi = landlock_abi()

    def test_job_cannot_signal_init(self):
        # pid 1 (init) is the job's parent, same uid, outside its domain:
        # without the signal scope kill(1, 0) succeeds. The forced fallback
        # keeps the signal scope.
        need(self, self.abi >= SCOPE_ABI, "landlock ABI %d < 6" % self.abi)
        self.assertResult(run_probe("probe_hostnet", "kill", "1", "0"), "EPERM")
        self.assertResult(run_probe("probe", "kill", "1", "0"), "EPERM")
        self.assertResult(run_probe("probe_hostnet", "kill", "1", "0", env=FORCE), "EPERM")

    def test_job_can_signal_its_own_group(self):
        # The scope is not a blanket refusal: the job's own processes stay
        # reachable (kill(0, 0): its process group, itself after setsid).
        self.assertResult(run_probe("probe_hostnet", "kill", "0", "0"), "ok")

    def test_scoped_kernel_prints_no_note(self):
        need(self, self.abi >= SCOPE_ABI, "landlock ABI %d < 6" % self.abi)
        out = run_probe("probe_hostnet", "kill", "0", "0")
        self.assertNotIn("landlock", out.stderr, out.describe())


class ShippedPolicyFallbackTest(ProbeTest):
    """The break-out through the forced fallback under the real shipped
    policies (bash, python3: `network host`, the base's seccomp denylist
    with its listener), in stockade-shipped-test: policies/ embedded, built
    with the test switches. The probe stands in for the user's script."""

    def setUp(self):
        super().setUp()
        self.launcher = os.environ.get("STOCKADE_SHIPPED_TEST_LAUNCHER")
        need(self, self.launcher and os.path.exists(self.launcher), "the shipped test launcher was not given")
        self.abi = landlock_abi()
        self.env = FORCE if self.abi >= SCOPE_ABI else None
        self.name = unique("stockade-it-shipped")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(self.listener.close)
        self.listener.bind("\0" + self.name)
        self.listener.listen(16)
        self.job = self.make_tempdir()
        os.chmod(self.job, 0o755)
        for script in ("main.sh", "main.py"):
            shutil.copy(probe_host_path(), os.path.join(self.job, script))
            os.chmod(os.path.join(self.job, script), 0o755)
        for name in ("result.json", "result.out", "result2.out", "wrapper.py", "args.json"):
            with open(os.path.join(self.job, name), "w") as f:
                f.write("{}\n")

    def run_policy(self, policy, *args, params=()):
        argv = [self.launcher, "run", policy, "--param", "JOB_DIR=" + self.job]
        if policy == "python3":
            argv += ["--param", "PY_INSTALL_DIR=/usr/lib"]
        for p in params:
            argv += ["--param", p]
        script = "/tmp/main.sh" if policy == "bash" else "/tmp/main.py"
        return run_launcher(argv + ["--", script] + list(args), env=self.env)

    def test_abstract_socket_closed_under_shipped_policies(self):
        for policy in ("bash", "python3"):
            with self.subTest(policy):
                out = self.run_policy(policy, "unix-abstract", self.name)
                self.assertResult(out, "EPERM")
                self.assertEqual(out.stderr.count(NOTE), 1, out.describe())
                self.assertIn(REFUSED, out.stderr, out.describe())
                self.assertResult(self.run_policy(policy, "unix-stream-pair"), "ok")

    def test_bash_podman_socket_lifts_the_guard_and_says_so(self):
        # bash.policy's DOCKER_SOCK bind carries `socket`: the job's own
        # podman socket works, and the line names what that opens.
        sock_dir = self.make_tempdir()
        os.chmod(sock_dir, 0o755)
        path = os.path.join(sock_dir, "podman.sock")
        podman = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(podman.close)
        podman.bind(path)
        os.chmod(path, 0o666)
        podman.listen(16)
        out = self.run_policy("bash", "unix-path", "/tmp/podman.sock", params=("DOCKER_SOCK=" + path,))
        self.assertResult(out, "ok")
        self.assertIn("unix sockets allowed for /tmp/podman.sock: the host's abstract sockets are reachable",
                      out.stderr, out.describe())

    def test_only_bash_lifts_the_guard(self):
        # The fallback depends on the policy only through its network mode
        # and its `socket` binds: every shipped policy shares the host's
        # network, and only bash's optional podman socket lifts the guard,
        # so the refusal above holds for every other one.
        policies = run_launcher([self.launcher, "list"]).stdout.split()
        self.assertIn("python3", policies)
        lifting = []
        for policy in policies:
            shown = run_launcher([self.launcher, "show", policy]).stdout
            if "a unix socket the job connects to" in shown:
                lifting.append(policy)
        self.assertEqual(lifting, ["bash"])
