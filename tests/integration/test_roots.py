# SPDX-License-Identifier: Apache-2.0
"""Path params limited to roots (`within`, runtime/params.cc): the shipped
policies' interpreter, SDK and cache params accept only where Windmill's
workers keep them (uv-managed Python installs and every cache below
/tmp/windmill/cache/, system interpreters below /usr). Anything else exits
121 with one line, before anything is set up; every value a real worker
passes still runs."""

import os
import shutil

from harness import EXIT_BAD_PARAM, ProbeTest, need, run_launcher

CACHE = "/tmp/windmill/cache"
ROOTS = "not within /tmp/windmill/cache or /usr"


class ShippedRootsTest(ProbeTest):
    def setUp(self):
        super().setUp()
        self.launcher = os.environ.get("STOCKADE_SHIPPED_LAUNCHER")
        need(self, self.launcher and os.path.exists(self.launcher), "the shipped launcher was not given")
        self.job = self.make_tempdir()
        os.chmod(self.job, 0o755)
        for name in ("main.py", "wrapper.py", "args.json", "result.json"):
            with open(os.path.join(self.job, name), "w") as f:
                f.write("{}\n")
        os.makedirs(CACHE, exist_ok=True)
        self.cache = os.path.realpath(self.make_cache_dir())

    def make_cache_dir(self, *parts):
        path = os.path.join(CACHE, "stockade-it-roots-%d" % os.getpid(), *parts)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, 0o755)
        self.addCleanup(shutil.rmtree, os.path.join(CACHE, "stockade-it-roots-%d" % os.getpid()), True)
        return path

    def python3(self, *params):
        args = [self.launcher, "run", "python3", "--param", "JOB_DIR=" + self.job]
        for p in params:
            args += ["--param", p]
        return run_launcher(args + ["--", "/bin/true"])

    def test_windmills_own_values_run(self):
        # The system interpreter's stdlib (PYTHON_PATH under /usr), a
        # uv-managed install below the cache (py_runtime), the job's
        # packages below the cache.
        runtime = self.make_cache_dir("py_runtime", "cpython-3.11")
        dep = self.make_cache_dir("python_3_11", "six==1.16.0")
        for install in ("/usr/lib/python3", runtime):
            with self.subTest(install):
                out = self.python3("PY_INSTALL_DIR=" + install, "DEPS=" + dep)
                self.assertExit(out, 0)

    def test_outside_the_roots_is_refused_with_one_line(self):
        for value in ("/root", "/root/.local/share/uv/python", "/home/worker/py", "/usrlocal",
                      "/tmp/windmill", "/tmp/windmill/cachex", "/etc", "/"):
            with self.subTest(value):
                out = self.python3("PY_INSTALL_DIR=" + value)
                self.assertExit(out, EXIT_BAD_PARAM)
                self.assertOneLineError(out, "PY_INSTALL_DIR=" + value, ROOTS)

    def test_a_list_value_outside_is_refused(self):
        dep = self.make_cache_dir("python_3_11", "ok==1")
        out = self.python3("PY_INSTALL_DIR=/usr/lib", "DEPS=" + dep, "DEPS=/root/.ssh")
        self.assertExit(out, EXIT_BAD_PARAM)
        self.assertOneLineError(out, "DEPS=/root/.ssh", "not within /tmp/windmill/cache")

    def test_a_cache_param_outside_is_refused(self):
        out = run_launcher([self.launcher, "run", "go", "--param", "JOB_DIR=" + self.job,
                            "--param", "CACHE_DIR=/root/.cache", "--", "/bin/true"])
        self.assertExit(out, EXIT_BAD_PARAM)
        self.assertOneLineError(out, "CACHE_DIR=/root/.cache", "not within /tmp/windmill/cache")

    def test_show_names_the_roots(self):
        out = run_launcher([self.launcher, "show", "python3"])
        self.assertExit(out, 0)
        self.assertIn("PY_INSTALL_DIR: path, required, within /tmp/windmill/cache or /usr", out.stdout)
