# SPDX-License-Identifier: Apache-2.0
"""A replay of what a Windmill worker does around one job, with `stockade run`
where the worker runs nsjail (facts: ../shared/windmill-nsjail/README.md):

- the job directory `/tmp/windmill/<worker>/<job id>` and the files the
  executor writes into it, cache folders under `/tmp/windmill/cache/`;
- the environment: cleared, then the reserved WM_* variables, PATH, TZ,
  BASE_INTERNAL_URL and the language's own variables;
- the launcher started with the job directory as cwd, stdout and stderr
  piped and read line by line while the job runs, in a process group of
  its own (the worker signals the group);
- what the worker reads back: the exit code, the result file (Bash:
  result.json, else result.out, else the last line of result2.out), the
  peak memory of the launcher's first child (VmHWM, every 500 ms);
- a time-out: SIGINT, then SIGTERM, then SIGKILL to the process group.

Configuration comes from the environment (run_replay.py fills it):
STOCKADE_LAUNCHER, STOCKADE_NPM_PREFIX.
"""

import json
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid

WINDMILL = "/tmp/windmill"
CACHE = os.path.join(WINDMILL, "cache")


def launcher():
    return os.environ["STOCKADE_LAUNCHER"]


def unique(prefix):
    return "%s%s" % (prefix, uuid.uuid4().hex[:12])


class Cache:
    """Folders this test adds to the worker's cache, removed afterwards. Their
    names are unique, so tests running side by side never share one."""

    def __init__(self, test):
        self.made = []
        test.addCleanup(self.remove)

    def folder(self, *parts):
        path = os.path.join(CACHE, *parts)
        os.makedirs(path)
        os.chmod(path, 0o755)
        self.made.append(path)
        return path

    def remove(self):
        for path in self.made:
            shutil.rmtree(path, ignore_errors=True)


class Outcome:
    """What the worker saw of one job."""

    def __init__(self, argv, returncode, lines, stderr, wall_s, result, peak_kb, stats):
        self.argv = argv
        self.returncode = returncode
        self.lines = lines            # [(seconds since start, text)] of stdout
        self.stdout = "".join(text + "\n" for _, text in lines)
        self.stderr = stderr
        self.wall_s = wall_s
        self.result = result
        self.peak_kb = peak_kb        # the worker's probe: the launcher's first child's VmHWM
        self.stats = stats            # --stats-fd lines, parsed, when asked for

    def describe(self):
        return "command: %s\n exit %s after %.2fs\n stdout: %r\n stderr: %r\n result: %r" % (
            " ".join(self.argv), self.returncode, self.wall_s, self.stdout[-3000:],
            self.stderr[-3000:], self.result)


class WorkerJob:
    """One job directory as the executor lays it out."""

    def __init__(self, test, files=None, dirs=()):
        self.worker_dir = os.path.join(WINDMILL, unique("wk-"))
        self.id = str(uuid.uuid4())
        self.dir = os.path.join(self.worker_dir, self.id)
        os.makedirs(self.dir)
        for d in (WINDMILL, self.worker_dir, self.dir):
            os.chmod(d, 0o755)    # the job (65534 on the host) must traverse them
        test.addCleanup(shutil.rmtree, self.worker_dir, True)
        for d in dirs:
            os.makedirs(self.path(d), exist_ok=True)
        for name, text in (files or {}).items():
            self.write(name, text)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text, mode=None):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        if mode is not None:
            os.chmod(path, mode)
        return path

    def read(self, name):
        try:
            with open(self.path(name)) as f:
                return f.read()
        except FileNotFoundError:
            return None

    def env(self, language_vars=None):
        """The job's environment as the worker builds it (after env_clear)."""
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "TZ": "Etc/UTC",
            "BASE_INTERNAL_URL": "http://localhost:8000",
            "WM_BASE_URL": "http://localhost:8000",
            "WM_TOKEN": "wm-job-token-" + self.id[:8],
            "WM_WORKSPACE": "admins",
            "WM_JOB_ID": self.id,
            "WM_JOB_PATH": "u/admin/my_script",
            "WM_EMAIL": "admin@windmill.dev",
            "WM_USERNAME": "admin",
            "WM_PERMISSIONED_AS": "u/admin",
            "WM_FLOW_JOB_ID": "",
            "WM_ROOT_FLOW_JOB_ID": "",
        }
        env.update(language_vars or {})
        return env

    def argv(self, policy, params, program, lists=(), stats_fd=None):
        args = [launcher(), "run", policy, "--param", "JOB_DIR=" + self.dir]
        for key, value in (params or {}).items():
            args += ["--param", "%s=%s" % (key, value)]
        for key, value in lists:
            args += ["--param", "%s=%s" % (key, value)]
        if stats_fd is not None:
            args += ["--stats-fd", str(stats_fd)]
        return args + ["--"] + list(program)

    def run(self, policy, program, params=None, lists=(), env=None, result="result.json",
            wrap=None, timeout_s=None, timeout=180, stats=False):
        """Runs the launcher as the worker does. `wrap(argv)` may put it in a
        private mount namespace (host directories a policy needs); with
        `timeout_s` the worker's own timer fires then and kills the group;
        with `stats` the launcher's --stats-fd stream is read too."""
        stats_pipe = os.pipe() if stats else None
        argv = self.argv(policy, params, program, lists, stats_pipe[1] if stats else None)
        if wrap is not None:
            argv = wrap(argv)
        return supervise(argv, self.dir, env if env is not None else self.env(), timeout_s, timeout,
                         lambda: self.worker_result(result), stats_pipe)

    def worker_result(self, kind):
        """The result the worker would record."""
        if kind == "bash":
            for name in ("result.json", "result.out"):
                text = self.read(name)
                if text and text.strip():
                    return parse(text)
            text = self.read("result2.out")
            if text and text.strip():
                return parse(text.strip().splitlines()[-1])
            return None
        text = self.read(kind)
        return parse(text) if text and text.strip() else None


def parse(text):
    try:
        return json.loads(text)
    except ValueError:
        return {"_unparsable": text}


def first_child_vmhwm_kb(pid):
    """What the worker reads every 500 ms: the launcher's first child's VmHWM."""
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            children = f.read().split()
        if not children:
            return None
        with open("/proc/%s/status" % children[0]) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def supervise(argv, cwd, env, timeout_s, timeout, read_result, stats_pipe=None):
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=os.setpgrp,
                            pass_fds=(stats_pipe[1],) if stats_pipe else ())
    lines = []
    errs = []
    stats = []

    def read_out():
        for raw in proc.stdout:
            lines.append((time.monotonic() - start, raw.decode(errors="replace").rstrip("\n")))

    def read_err():
        errs.append(proc.stderr.read().decode(errors="replace"))

    def read_stats():
        with os.fdopen(stats_pipe[0], "rb") as f:
            for raw in f:
                stats.append(parse(raw.decode(errors="replace")))

    readers = [threading.Thread(target=read_out), threading.Thread(target=read_err)]
    if stats_pipe:
        os.close(stats_pipe[1])
        readers.append(threading.Thread(target=read_stats))
    for r in readers:
        r.start()
    peak = None
    killed = False
    deadline = start + (timeout_s if timeout_s is not None else timeout)
    while proc.poll() is None:
        kb = first_child_vmhwm_kb(proc.pid)
        if kb is not None:
            peak = max(peak or 0, kb)
        if time.monotonic() >= deadline and not killed:
            kill_like_the_worker(proc)
            killed = True
        time.sleep(0.1)
    for r in readers:
        r.join(timeout=30)
    wall = time.monotonic() - start
    return Outcome(argv, proc.returncode, lines, "".join(errs), wall, read_result(), peak,
                   stats if stats_pipe else None)


def kill_like_the_worker(proc):
    """On time-out or cancel: SIGINT, then SIGTERM, then SIGKILL, each to the
    launcher's process group, with a grace period between them."""
    for sig, grace in ((signal.SIGINT, 1.0), (signal.SIGTERM, 1.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def processes_with(marker):
    """Pids whose command line holds `marker` (leftovers of a job)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(entry))
        except OSError:
            pass
    return found


def mounts_with(path):
    with open("/proc/self/mountinfo") as f:
        return [line for line in f if path in line]


def in_private_mount_ns(dirs, argv):
    """argv run by `unshare -m` after covering, for each of `dirs`, its
    deepest existing ancestor with a tmpfs that holds the directory: for
    policies that bind a host directory this machine lacks (/opt/microsoft,
    /usr/share/dotnet). The host's own mount table is untouched."""
    script = ["set -e"]
    positional = []
    for path in dirs:
        top = os.path.dirname(path)
        while not os.path.isdir(top):
            top = os.path.dirname(top)
        i = len(positional) + 1
        script.append('mount -t tmpfs -o mode=755 stockade-test "${%d}"' % i)
        script.append('mkdir -p "${%d}"' % (i + 1))
        positional += [top, path]
    script.append("shift %d" % len(positional))
    script.append('exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
            "; ".join(script), "sh"] + positional + list(argv)
