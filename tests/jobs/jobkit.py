# SPDX-License-Identifier: Apache-2.0
"""Helpers for the real-job tests: lay out a job directory the way a Windmill
worker does, run the launcher on it with a shipped policy, read the job's
result, and fetch the npm-packaged runtimes.

Configuration comes from the environment, which run_jobs.py fills from its
command line (CMake passes the paths): STOCKADE_LAUNCHER, STOCKADE_NPM_PREFIX.
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

FILES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")

# Where the tests install the npm-packaged runtimes for the sandbox to see:
# an empty directory under /usr that Debian ships, covered by a bind mount in
# a private mount namespace of the test, as if the worker image had them
# installed under /usr. The policies bind /usr recursively read-only.
TOOL_DIR = "/usr/local/games"

# The host uid of the job's root (the policies' default uid map), and the
# job's uid when there is no user namespace.
OUTSIDE_ID = 65534

DENO_PACKAGE = "@deno/linux-x64-glibc"
BUN_PACKAGE = "@oven/bun-linux-x64"


def launcher():
    return os.environ["STOCKADE_LAUNCHER"]


def npm_prefix():
    return os.environ["STOCKADE_NPM_PREFIX"]


class Run:
    """What one launcher run produced."""

    def __init__(self, args, returncode, stdout, stderr, wall_s, result):
        self.args = args
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.wall_s = wall_s
        self.result = result

    def describe(self):
        return "command: %s\n exit %s after %.2fs\n stdout: %r\n stderr: %r\n result: %r" % (
            " ".join(self.args), self.returncode, self.wall_s, self.stdout[-3000:],
            self.stderr[-3000:], self.result)


class Job:
    """A job directory: the files the worker writes, then the launcher run."""

    def __init__(self, test, source_dir, args=None):
        self.dir = os.path.realpath(tempfile.mkdtemp(prefix="stockade-job-"))
        test.addCleanup(shutil.rmtree, self.dir, True)
        for name in os.listdir(os.path.join(FILES, source_dir)) if source_dir else []:
            shutil.copy(os.path.join(FILES, source_dir, name), os.path.join(self.dir, name))
        # Written by root, like a worker's files: the launcher's idmapped
        # read-write binds let the job (65534 on the host) write them.
        if args is not None:
            self.write("args.json", json.dumps(args))
        self.write("result.json", "")
        os.chmod(self.dir, 0o755)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)

    def result(self):
        with open(self.path("result.json")) as f:
            text = f.read()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return {"_unparsable": text}

    def run(self, policy, program, params=None, env=None, host_binds=(), timeout=180, wrap=None):
        """Runs `program` (argv) in `policy` with JOB_DIR set and `params`.
        `host_binds` are (source, target) bind mounts made on the host side in
        a private mount namespace before the launcher starts; `wrap` turns
        the launcher's argv into the argv to run instead."""
        args = [launcher(), "run", policy, "--param", "JOB_DIR=" + self.dir]
        for key, value in (params or {}).items():
            args += ["--param", "%s=%s" % (key, value)]
        args += ["--"] + list(program)
        if host_binds:
            args = in_private_mount_ns(host_binds, args)
        if wrap:
            args = wrap(args)
        job_env = {"PATH": TOOL_DIR + ":/usr/bin:/bin", "LANG": "C.UTF-8"}
        job_env.update(env or {})
        start = time.monotonic()
        proc = subprocess.run(args, env=job_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout, cwd=self.dir)
        wall = time.monotonic() - start
        return Run(args, proc.returncode, proc.stdout.decode(errors="replace"),
                   proc.stderr.decode(errors="replace"), wall, self.result())


def in_private_mount_ns(binds, argv):
    """argv run by `unshare -m` after bind-mounting each (source, target);
    the host's own mount table is untouched."""
    script = ["set -e"]
    positional = []
    for source, target in binds:
        i = len(positional)
        script.append('mount --bind "${%d}" "${%d}"' % (i + 1, i + 2))
        positional += [source, target]
    script.append("shift %d" % len(positional))
    script.append('exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
            "; ".join(script), "sh"] + positional + list(argv)


def npm_binary(test, package, relative):
    """The path of `relative` inside npm `package`, installed into the build
    directory on first use; skips the test visibly if npm cannot fetch it."""
    path = os.path.join(npm_prefix(), "node_modules", package, relative)
    if os.path.exists(path):
        return path
    npm = shutil.which("npm")
    if npm is None:
        test.skipTest("npm is not installed, cannot fetch " + package)
    proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", npm_prefix(), package],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    if proc.returncode != 0 or not os.path.exists(path):
        tail = proc.stdout.decode(errors="replace").strip().splitlines()[-3:]
        test.skipTest("npm could not install %s (registry unreachable?): %s" % (package, " / ".join(tail)))
    return path


def need_unshare(test):
    if shutil.which("unshare") is None:
        test.skipTest("unshare (util-linux) is not installed")


def tool_dir_usable(test):
    """TOOL_DIR must exist and be empty, so covering it hides nothing."""
    need_unshare(test)
    if not os.path.isdir(TOOL_DIR) or os.listdir(TOOL_DIR):
        test.skipTest("%s is missing or not empty; nowhere to install the npm runtimes" % TOOL_DIR)


def expected_computation(text, n):
    """The answer every computing job must give, by trial division here so
    the jobs' sieves are checked by a different method."""
    import hashlib
    primes = [p for p in range(2, n) if all(p % d for d in range(2, int(p ** 0.5) + 1))]
    return {
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "prime_count": len(primes),
        "prime_sum": sum(primes),
    }


class JobTest(unittest.TestCase):
    """Base class: assertions that print the whole run on failure."""

    TEXT = "stockade \u2713 job 42"   # non-ASCII on purpose: every runtime must hash UTF-8
    N = 5000

    def assertSucceeded(self, run):
        self.assertEqual(run.returncode, 0, run.describe())

    def assertComputed(self, run, result):
        expected = expected_computation(self.TEXT, self.N)
        self.assertIsNotNone(result, run.describe())
        for key, value in expected.items():
            self.assertEqual(result.get(key), value, "%s\n%s" % (key, run.describe()))

    def assertSandboxView(self, run, sandbox, hostname, cwd):
        self.assertIsInstance(sandbox, dict, run.describe())
        self.assertEqual(sandbox.get("hostname"), hostname, run.describe())
        self.assertEqual(sandbox.get("uid"), 0, run.describe())
        self.assertEqual(sandbox.get("cwd"), cwd, run.describe())
        self.assertIs(sandbox.get("root_visible"), False, run.describe())
