# SPDX-License-Identifier: Apache-2.0
"""network none: the job reaches neither a TCP listener on the host's
127.0.0.1 nor an abstract unix socket of the host. The `probe_hostnet`
policy opens that door on purpose to show the probe would notice."""

import socket

from harness import ProbeTest, run_probe, run_probe_on_host, unique


class NetworkTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(self.tcp.close)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.port = str(self.tcp.getsockname()[1])
        self.name = unique("stockade-it-abstract")
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(self.unix.close)
        self.unix.bind("\0" + self.name)
        self.unix.listen(16)

    def test_none_is_a_fresh_namespace_with_only_lo(self):
        # Made by a helper sharing the child's memory and fd table (namespaces.h):
        # the job is in that namespace, not the host's, with no helper beside
        # it and no fd of the namespace left (test_process checks pids and fds).
        def names(text):
            return sorted(ln.split(":")[0].strip() for ln in text.splitlines()
                          if ":" in ln and "|" not in ln and not ln.startswith(("size:", "result:")))

        def interfaces(policy):
            out = run_probe(policy, "cat", "/proc/net/dev")
            self.assertResult(out, "ok")
            return names(out.stdout)
        with open("/proc/net/dev") as f:
            host = names(f.read())
        self.assertEqual(interfaces("probe"), ["lo"])
        self.assertEqual(interfaces("probe_loopback"), ["lo"])
        self.assertEqual(interfaces("probe_hostnet"), host)
        out = run_probe("probe", "fds")
        self.assertResult(out, "ok")
        self.assertEqual([v.split()[0] for v in out.values("fd")], ["0", "1", "2"], out.describe())

    def test_none_cannot_reach_host_tcp(self):
        # Own network namespace with lo down: no route to 127.0.0.1 at all.
        self.assertResult(run_probe("probe", "tcp", "127.0.0.1", self.port), "ENETUNREACH")

    def test_none_cannot_reach_host_abstract_socket(self):
        self.assertResult(run_probe("probe", "unix-abstract", self.name), "ECONNREFUSED")

    def test_loopback_is_its_own(self):
        # lo is up, but it is the sandbox's lo: nobody listens there.
        self.assertResult(run_probe("probe_loopback", "tcp", "127.0.0.1", self.port), "ECONNREFUSED")
        self.assertResult(run_probe("probe_loopback", "unix-abstract", self.name), "ECONNREFUSED")

    def test_host_network_reaches_the_listener(self):
        # Positive control.
        self.assertResult(run_probe("probe_hostnet", "tcp", "127.0.0.1", self.port), "ok")
        # Abstract sockets: the probe reaches the name from the host; under
        # `network host` Landlock scoping refuses it (test_landlock.py).
        self.assertResult(run_probe_on_host("unix-abstract", self.name), "ok")
