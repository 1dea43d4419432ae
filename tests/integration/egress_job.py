# SPDX-License-Identifier: Apache-2.0
"""Run inside the sandbox by test_egress.py (python3 -c, argv = ops): each
op tries one way out and prints one line `OP RESULT`, RESULT being `ok
<answer>` or the errno name. Ops are NAME:ARG,ARG..."""

import ctypes
import errno
import os
import signal
import socket
import sys

libc = ctypes.CDLL(None, use_errno=True)


def fam(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def addr(host, port):
    return (host, int(port), 0, 2) if host.startswith("fe80") else (host, int(port))


def err(e):
    return errno.errorcode.get(e.errno, str(e.errno)) if isinstance(e, OSError) and e.errno else type(e).__name__


def tcp(host, port, family=None):
    s = socket.socket(family or fam(host), socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect(addr(host, port))
    return s.recv(200).decode().strip().splitlines()[-1]


def http(host, port):
    """A download with urllib, as a job's code would."""
    import urllib.request
    url = "http://%s:%s/" % ("[%s]" % host if ":" in host else host, port)
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode().strip()


def tcp6(host, port):
    """An AF_INET6 socket to `host`, e.g. ::ffff:10.0.0.5 (IPv4-mapped)."""
    return tcp(host, port, socket.AF_INET6)


def udp_reply(s):
    s.settimeout(3)
    return s.recv(100).decode()


def udp_connect(host, port):
    s = socket.socket(fam(host), socket.SOCK_DGRAM)
    s.connect(addr(host, port))
    s.send(b"ping")
    return udp_reply(s)


def udp_sendto(host, port, family=None):
    s = socket.socket(family or fam(host), socket.SOCK_DGRAM)
    s.sendto(b"ping", addr(host, port))
    return udp_reply(s)


def udp6_sendto(host, port):
    return udp_sendto(host, port, socket.AF_INET6)


def udp_sendmsg(host, port):
    s = socket.socket(fam(host), socket.SOCK_DGRAM)
    s.sendmsg([b"pi", b"ng"], [], 0, addr(host, port))
    return udp_reply(s)


class SockaddrIn(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_ushort), ("addr", ctypes.c_ubyte * 4),
                ("zero", ctypes.c_ubyte * 8)]


class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class Msghdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint), ("iov", ctypes.POINTER(Iovec)),
                ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class Mmsghdr(ctypes.Structure):
    _fields_ = [("hdr", Msghdr), ("len", ctypes.c_uint)]


def udp_sendmmsg(host, port):
    """Two datagrams in one sendmmsg(2) on an unconnected socket (IPv4)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sa = SockaddrIn(socket.AF_INET, socket.htons(int(port)), (ctypes.c_ubyte * 4)(*socket.inet_aton(host)))
    buf = ctypes.create_string_buffer(b"ping")
    iov = Iovec(ctypes.cast(buf, ctypes.c_void_p), 4)
    msgs = (Mmsghdr * 2)()
    for m in msgs:
        m.hdr = Msghdr(ctypes.cast(ctypes.pointer(sa), ctypes.c_void_p), ctypes.sizeof(sa), ctypes.pointer(iov), 1,
                       None, 0, 0)
    n = libc.sendmmsg(s.fileno(), msgs, 2, 0)
    if n < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return udp_reply(s) + " x%d" % n


def tfo(host, port):
    """TCP fast open: the connect happens inside sendto(MSG_FASTOPEN)."""
    s = socket.socket(fam(host), socket.SOCK_STREAM)  # blocking: sendto waits for the handshake
    signal.alarm(5)
    s.sendto(b"x", socket.MSG_FASTOPEN, addr(host, port))
    answer = s.recv(200).decode().strip().splitlines()[-1]
    signal.alarm(0)
    return answer


def fork_tcp(host, port):
    """The same connect from a forked child: it inherits the filter."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            out = "ok " + tcp(host, port)
        except Exception as e:  # noqa: BLE001 - reported to the parent
            out = err(e)
        os.write(w, out.encode())
        os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    out = os.read(r, 200).decode()
    if out.startswith("ok "):
        return out[3:]
    raise OSError(getattr(errno, out, 0), out)


def raw():
    socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    return "made"


def packet():
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    return "made"


def ping():
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    return "made"


def udplite():
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM, 136)  # IPPROTO_UDPLITE
    return "made"


def own_cgroup_dir():
    """The job's own cgroup in a bound-in host hierarchy: the directory whose
    cgroup.procs holds this process."""
    me = str(os.getpid())
    for root in ("/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
        if not os.path.exists(os.path.join(root, "cgroup.procs")):
            continue
        for path, _dirs, files in os.walk(root):
            if "cgroup.procs" in files:
                try:
                    with open(os.path.join(path, "cgroup.procs")) as f:
                        if me in f.read().split():
                            return path
                except OSError:
                    pass
    return None


def bpf_detach():
    """bpf(BPF_PROG_DETACH) of connect4 on the job's own cgroup, through the
    cgroup namespace's view of it (its root) if the job can open one."""
    class Attr(ctypes.Structure):
        _fields_ = [("target_fd", ctypes.c_uint), ("attach_bpf_fd", ctypes.c_uint), ("attach_type", ctypes.c_uint),
                    ("attach_flags", ctypes.c_uint), ("pad", ctypes.c_ubyte * 112)]
    fd = os.open(own_cgroup_dir() or "/", os.O_RDONLY)
    a = Attr(fd, 0, 10, 0)  # BPF_CGROUP_INET4_CONNECT
    if libc.syscall(321, 9, ctypes.byref(a), ctypes.sizeof(a)) != 0:  # SYS_bpf, BPF_PROG_DETACH
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return "detached"


def bpf_get_fd():
    """BPF_PROG_GET_FD_BY_ID for the first 200 program ids: the fd a detach
    of a BPF_F_ALLOW_MULTI program needs."""
    class Attr(ctypes.Structure):
        _fields_ = [("id", ctypes.c_uint), ("next_id", ctypes.c_uint), ("open_flags", ctypes.c_uint),
                    ("pad", ctypes.c_ubyte * 116)]
    errors = set()
    for prog_id in range(1, 201):
        a = Attr(prog_id, 0, 0)
        fd = libc.syscall(321, 13, ctypes.byref(a), ctypes.sizeof(a))  # BPF_PROG_GET_FD_BY_ID
        if fd >= 0:
            return "got program %d" % prog_id
        errors.add(ctypes.get_errno())
    e = min(errors)
    raise OSError(e, os.strerror(e))


def mount_cgroup():
    """A cgroup2 mount of its own, to reach cgroup.procs files."""
    os.makedirs("/tmp/cg", exist_ok=True)
    if libc.mount(b"none", b"/tmp/cg", b"cgroup2", 0, None) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return "mounted"


def move_cgroup():
    """Writes itself into the root cgroup of the host's hierarchy, bound in
    by the probe_filtered_cgroupfs policy: out of the filtered cgroup."""
    path = "/sys/fs/cgroup/unified/cgroup.procs"
    if not os.path.exists(path):
        path = "/sys/fs/cgroup/cgroup.procs"
    with open(path, "w") as f:
        f.write(str(os.getpid()))
    return "moved"


def io_uring():
    p = ctypes.create_string_buffer(120)
    fd = libc.syscall(425, 4, p)  # io_uring_setup
    if fd < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return "made"


def main():
    for op in sys.argv[1:]:
        name, _, args = op.partition(":")
        try:
            print(op, "ok", globals()[name](*[a for a in args.split(",") if a]), flush=True)
        except Exception as e:  # noqa: BLE001 - the errno is the result
            while isinstance(getattr(e, "reason", None), BaseException):
                e = e.reason  # urllib wraps the socket's error
            print(op, err(e), flush=True)


main()
