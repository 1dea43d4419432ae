#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Launches policies that `stockadec import-nsjail` made from Windmill's own
configs (tests/nsjail/CMakeLists.txt imports and compiles them into the
stockade-imported launcher), with stand-in jobs laid out the way Windmill's
Python executor lays them out:

- `{MAIN}` is a path with folders (`u/admin/my_script`): a relpath param;
- `{SHARED_DEPENDENCIES}` is one read-only bind per resolved package: the
  list param SHARED_DEPENDENCIES, given here 300 values by --param-file and
  two by repeated --param; a package directory not listed stays invisible;
- the config's read-only file re-binds below the read-only /etc are kept and
  work (the files are visible and read-only);
- download.py's `keep_caps: true` with `clone_newuser: {CLONE_NEWUSER}`:
  CLONE_NEWUSER=false is refused by the launcher before set-up, exit 121.

Runs as root (bind mounts, namespaces); prints a visible skip otherwise.

  launch_imported.py --launcher PATH
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PYTHON = "/usr/bin/python3"
LAUNCHER = None

WRAPPER = r'''
import errno
import json
import os
import sys

sys.path.insert(0, "/tmp/u/admin")
import my_script

with open("/tmp/args.json") as f:
    args = json.load(f)


def write_error(path):
    try:
        with open(path, "a"):
            pass
        return "written"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


result = my_script.main(**args)
result["etc"] = {p: [os.path.exists(p), write_error(p) if os.path.exists(p) else None]
                 for p in ("/etc/hosts", "/etc/resolv.conf", "/etc/hostname")}
with open("/tmp/result.json", "w") as f:
    json.dump(result, f)
'''

MAIN = r'''
import importlib
import os


def main(deps, imports, secret):
    seen = [d for d in deps if os.path.isdir(d)]
    values = [importlib.import_module(name).VALUE for name in imports]
    try:
        open(os.path.join(deps[0], "planted"), "w").close()
        dep_write = "written"
    except OSError as e:
        dep_write = e.errno
    return {"seen": len(seen), "values": values, "secret_visible": os.path.exists(secret),
            "dep_write": dep_write, "main": __file__}
'''


class ImportedPython3(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(PYTHON):
            self.skipTest(PYTHON + " is not installed")
        self.job = os.path.realpath(tempfile.mkdtemp(prefix="stockade-imported-job-"))
        self.cache = os.path.realpath(tempfile.mkdtemp(prefix="stockade-imported-cache-"))
        self.addCleanup(shutil.rmtree, self.job, True)
        self.addCleanup(shutil.rmtree, self.cache, True)
        os.makedirs(os.path.join(self.job, "u", "admin"))
        self.write("wrapper.py", WRAPPER)
        self.write("u/admin/my_script.py", MAIN)
        self.write("result.json", "")
        os.chmod(self.job, 0o755)
        self.secret = self.package("secret==9.9", "secret", 99)

    def write(self, name, text):
        with open(os.path.join(self.job, name), "w") as f:
            f.write(text)

    def package(self, dirname, module, value):
        """A resolved package as Windmill's cache holds it: <cache>/<pkg>==<v>/<module>/."""
        top = os.path.join(self.cache, "python_311", dirname)
        os.makedirs(os.path.join(top, module))
        with open(os.path.join(top, module, "__init__.py"), "w") as f:
            f.write("VALUE = %d\n" % value)
        return top

    def run_job(self, deps, dep_args, imports):
        self.write("args.json", json.dumps({"deps": deps, "imports": imports, "secret": self.secret}))
        stdlib = subprocess.run([PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                                stdout=subprocess.PIPE, check=True).stdout.decode().strip()
        args = [LAUNCHER, "run", "imported_python3",
                "--param", "JOB_DIR=" + self.job,
                "--param", "MAIN=u/admin/my_script",
                "--param", "TIMEOUT=60",
                "--param", "PY_INSTALL_DIR=" + stdlib,
                "--param", "ADDITIONAL_PYTHON_PATHS=" + ":".join(deps[:len(imports)])] + dep_args
        args += ["--", PYTHON, "-u", "-m", "wrapper"]
        proc = subprocess.run(args, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, cwd=self.job,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        with open(os.path.join(self.job, "result.json")) as f:
            text = f.read()
        what = "exit %d\nstderr: %s\nresult: %r" % (proc.returncode, proc.stderr.decode(errors="replace"), text)
        self.assertEqual(proc.returncode, 0, what)
        return json.loads(text), what

    def check(self, result, what, deps, imports):
        self.assertEqual(result["seen"], len(deps), what)
        self.assertEqual(result["values"], list(range(len(imports))), what)
        self.assertIs(result["secret_visible"], False, what)
        self.assertEqual(result["dep_write"], 30, what)  # EROFS: each dependency is read-only
        self.assertEqual(result["main"], "/tmp/u/admin/my_script.py", what)
        for path, (exists, error) in result["etc"].items():
            if os.path.exists(path):
                self.assertTrue(exists, path + "\n" + what)
                self.assertEqual(error, "EROFS", path + "\n" + what)
        self.assertFalse(os.path.exists(os.path.join(deps[0], "planted")))

    def test_three_hundred_dependencies_by_param_file(self):
        deps = [self.package("pkg%03d==1.0" % i, "pkg%03d" % i, i) for i in range(300)]
        listing = os.path.join(self.cache, "deps.txt")
        with open(listing, "w") as f:
            f.write("".join(d + "\n" for d in deps))
        imports = ["pkg000", "pkg001", "pkg002"]
        result, what = self.run_job(deps, ["--param-file", "SHARED_DEPENDENCIES=" + listing], imports)
        self.check(result, what, deps, imports)

    def test_two_dependencies_by_repeated_param(self):
        deps = [self.package("pkg%03d==2.0" % i, "pkg%03d" % i, i) for i in range(2)]
        dep_args = []
        for d in deps:
            dep_args += ["--param", "SHARED_DEPENDENCIES=" + d]
        imports = ["pkg000", "pkg001"]
        result, what = self.run_job(deps, dep_args, imports)
        self.check(result, what, deps, imports)


class ImportedKeepCaps(unittest.TestCase):
    def test_user_namespace_off_is_refused_before_set_up(self):
        args = [LAUNCHER, "run", "imported_download_py", "--param", "CLONE_NEWUSER=false",
                "--param", "WORKER_DIR=/tmp", "--param", "TARGET_DIR=/tmp", "--param", "PY_INSTALL_DIR=/usr",
                "--", "/bin/true"]
        proc = subprocess.run(args, env={"PATH": "/usr/bin:/bin"}, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        err = proc.stderr.decode(errors="replace")
        self.assertEqual(proc.returncode, 121, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("CLONE_NEWUSER=false", err)
        self.assertIn("user namespace off", err)


def main():
    global LAUNCHER
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--launcher", required=True)
    opts = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
    import skips  # the skip rule of every suite
    if os.geteuid() != 0:
        return skips.skip_whole_run("imported policies are launched as root (bind mounts, namespaces)")
    LAUNCHER = os.path.abspath(opts.launcher)
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=skips.Result).run(suite)
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed, %d skipped" % (result.passed, failed, len(result.skipped)))
    return skips.exit_code(failed, len(result.skipped))


if __name__ == "__main__":
    sys.exit(main())
