# SPDX-License-Identifier: Apache-2.0
"""The test network of test_egress.py, all of it on this machine: a network
namespace `sbx` where the launcher runs (its "host" network, with a
listener on its own 127.0.0.1) joined by a veth pair to a namespace `world`
that holds stand-in hosts: public ones on documentation ranges
(198.51.100.0/24, 2001:db8::/32), a private one (10.0.0.5), a resolver
(10.0.0.53), the cloud metadata address (169.254.169.254) and an IPv6
link-local one. Every host answers TCP on ports 53, 80 and 8080 with a line
naming itself (an HTTP/1.0 answer), and UDP on port 53 and 9999 by echoing. Nothing is routed
anywhere else: neither namespace has a default route."""

import os
import subprocess
import sys
import time

PUBLIC4 = "198.51.100.10"
PUBLIC4_DENIED = "198.51.100.66"
PUBLIC6 = "2001:db8::10"
PRIVATE4 = "10.0.0.5"
RESOLVER4 = "10.0.0.53"
METADATA4 = "169.254.169.254"
PRIVATE6 = "fd00::5"
LINKLOCAL6 = "fe80::5"
HOSTS = [PUBLIC4, PUBLIC4_DENIED, PRIVATE4, RESOLVER4, METADATA4, PUBLIC6, PRIVATE6, LINKLOCAL6]
TCP_PORTS = [53, 80, 8080]
UDP_PORTS = [53, 9999]

SERVER = r'''
import socket, sys, threading
hosts, tcp, udp = sys.argv[1].split(","), [int(p) for p in sys.argv[2].split(",")], [int(p) for p in sys.argv[3].split(",")]
def family(h): return socket.AF_INET6 if ":" in h else socket.AF_INET
def addr(h, p): return (h, p, 0, 2) if h.startswith("fe80") else (h, p)
def serve_tcp(s, name):
    while True:
        c, _ = s.accept()
        body = ("hello from %s\n" % name).encode()
        try: c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        finally: c.close()
def serve_bulk(s):
    while True:
        c, _ = s.accept()
        def drain(c=c):
            while c.recv(1 << 20): pass
            c.close()
        threading.Thread(target=drain, daemon=True).start()
def serve_udp(s):
    while True:
        data, peer = s.recvfrom(65536)
        s.sendto(data, peer)
socks = []
for h in hosts:
    for p in tcp:
        s = socket.socket(family(h), socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(addr(h, p)); s.listen(64)
        threading.Thread(target=serve_tcp, args=(s, "%s:%d" % (h, p)), daemon=True).start()
    for p in udp:
        s = socket.socket(family(h), socket.SOCK_DGRAM)
        s.bind(addr(h, p))
        threading.Thread(target=serve_udp, args=(s,), daemon=True).start()
b = socket.socket(); b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
b.bind((hosts[0], 5001)); b.listen(8)
threading.Thread(target=serve_bulk, args=(b,), daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
'''


def sh(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class TestNet:
    """Creates the namespaces (each held by a sleeping process, so nothing
    is mounted on the host, unlike `ip netns add`) and the servers; close()
    ends them, and the namespaces and veth pair go with them."""

    def __init__(self):
        self.holders = {}
        self.procs = []
        try:
            for name in ("sbx", "world"):
                self.holders[name] = subprocess.Popen(["unshare", "--net", "--", "sleep", "infinity"])
            for name in ("sbx", "world"):
                wait_for_netns(self.holders[name].pid)
            self._wire()
            self._serve()
        except BaseException:
            self.close()
            raise

    def in_ns(self, name, *extra):
        return ["nsenter", "--net=/proc/%d/ns/net" % self.holders[name].pid] + list(extra) + ["--"]

    def run(self, name, *args):
        sh(*(self.in_ns(name) + list(args)))

    def _wire(self):
        self.run("sbx", "ip", "link", "add", "stk0", "type", "veth", "peer", "name", "stk1",
                 "netns", str(self.holders["world"].pid))
        for ns, dev in (("sbx", "stk0"), ("world", "stk1")):
            self.run(ns, "ip", "link", "set", "lo", "up")
            self.run(ns, "ip", "link", "set", dev, "up")
        # ping sockets allowed by the sysctl, so that the filter is what refuses them.
        self.run("sbx", "sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647")
        for a in ("198.51.100.1/24", "10.0.0.1/24", "169.254.1.1/16", "2001:db8::1/64", "fd00::1/64"):
            self.run("sbx", "ip", "addr", "add", a, "dev", "stk0", "nodad")
        for a in (PUBLIC4 + "/24", PUBLIC4_DENIED + "/24", PRIVATE4 + "/24", RESOLVER4 + "/24", METADATA4 + "/16",
                  PUBLIC6 + "/64", PRIVATE6 + "/64", LINKLOCAL6 + "/64"):
            self.run("world", "ip", "addr", "add", a, "dev", "stk1", "nodad")

    def _serve(self):
        world = subprocess.Popen(self.in_ns("world") + [sys.executable, "-c", SERVER, ",".join(HOSTS),
                                 ",".join(map(str, TCP_PORTS)), ",".join(map(str, UDP_PORTS))],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(world)
        # The "host's" own loopback service, in sbx.
        local = subprocess.Popen(self.in_ns("sbx") + [sys.executable, "-c", SERVER, "127.0.0.1,::1", "8080", "9999"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.procs.append(local)
        for p in self.procs:
            line = p.stdout.readline()
            if line.strip() != b"ready":
                raise RuntimeError("test server did not start: " + p.stderr.read().decode(errors="replace"))

    def close(self):
        for p in self.procs + list(self.holders.values()):
            p.kill()
            p.wait()


def wait_for_netns(pid):
    """unshare(1) has made the namespace once /proc/PID/ns/net differs from ours."""
    mine = os.stat("/proc/self/ns/net").st_ino
    for _ in range(200):
        try:
            if os.stat("/proc/%d/ns/net" % pid).st_ino != mine:
                return
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError("unshare --net did not start")
