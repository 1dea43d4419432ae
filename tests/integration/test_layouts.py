# SPDX-License-Identifier: Apache-2.0
"""Real job layouts, replayed as Windmill's executors lay them out: a script
path with folders, one read-only bind per resolved dependency, volumes at
caller-chosen targets, worker-made links into a build cache, and file binds
inside read-only directory binds. Each hostile variant fails before the job
with its documented exit code and one line, and leaves nothing behind."""

import os
import shutil

from harness import ProbeTest, launcher, probe_dir, run_launcher

POLICY = "layouts"


class Layouts(ProbeTest):
    def setUp(self):
        super().setUp()
        top = self.make_tempdir()
        self.top = top
        # /tmp/windmill/<worker>/<job id> and /tmp/windmill/cache, as the worker makes them.
        self.job = os.path.join(top, "wk-1", "job-42")
        self.cache = os.path.join(top, "cache")
        os.makedirs(os.path.join(self.job, "u", "admin"))
        os.makedirs(self.cache)
        with open(os.path.join(self.job, "u", "admin", "my_script.py"), "w") as f:
            f.write("print('hello')\n")
        with open(os.path.join(self.job, "result.json"), "w") as f:
            f.write("")
        os.chmod(os.path.join(self.job, "result.json"), 0o666)

    def run_sh(self, script, params=None, lists=(), files=()):
        """Runs `sh -c script` in the layouts policy; `lists` are (NAME, VALUE)
        pairs given as repeated --param, `files` (NAME, FILE) as --param-file."""
        args = [launcher(), "run", POLICY, "--param", "PROBE_DIR=" + probe_dir(), "--param", "JOB_DIR=" + self.job]
        for key, value in (params or {}).items():
            args += ["--param", "%s=%s" % (key, value)]
        for key, value in lists:
            args += ["--param", "%s=%s" % (key, value)]
        for key, path in files:
            args += ["--param-file", "%s=%s" % (key, path)]
        args += ["--", "/bin/sh", "-c", script]
        return run_launcher(args, timeout=120)

    def make_packages(self, count):
        """`count` package folders in the cache, Python's <pkg>==<version> form."""
        root = os.path.join(self.cache, "python_311")
        paths = []
        for i in range(count):
            p = os.path.join(root, "pkg%03d==1.%d" % (i, i))
            os.makedirs(p)
            with open(os.path.join(p, "__init__.py"), "w") as f:
                f.write("N = %d\n" % i)
            paths.append(p)
        return paths

    # -- relpath ----------------------------------------------------------

    def test_main_with_folders(self):
        out = self.run_sh("cat /tmp/u/admin/my_script.py", params={"MAIN": "u/admin/my_script"})
        self.assertExit(out, 0)
        self.assertEqual(out.stdout, "print('hello')\n")

    def test_main_escaping_is_refused(self):
        for value, why in (("../../etc/passwd", "'..' component"), ("/etc/passwd", "not a relative path")):
            out = self.run_sh("true", params={"MAIN": value})
            self.assertExit(out, 121)
            self.assertOneLineError(out, "MAIN=" + value, why)

    def test_main_through_a_planted_link_is_refused(self):
        # The job dir is the job's to write: a link in it never leads a bind out.
        os.symlink("/etc", os.path.join(self.job, "u", "evil"))
        out = self.run_sh("true", params={"MAIN": "u/evil/passwd"})
        self.assertExit(out, 122)
        self.assertOneLineError(out, "open_tree", "never followed")

    # -- list params ------------------------------------------------------

    def test_three_hundred_dependency_binds(self):
        pkgs = self.make_packages(300)
        other = os.path.join(self.cache, "python_311", "not-this-job==9.9")
        os.makedirs(other)
        listing = os.path.join(self.top, "deps.txt")
        with open(listing, "w") as f:
            f.write("\n".join(pkgs) + "\n")
        script = ("n=0; for d in %s; do test -f \"$d/__init__.py\" && n=$((n+1)); done; echo seen=$n; "
                  "ls %s | wc -l; echo x > %s/__init__.py && echo WROTE; "
                  "test -e %s && echo OTHER; true") % (" ".join(pkgs), os.path.dirname(pkgs[0]), pkgs[0], other)
        out = self.run_sh(script, files=[("DEPS", listing)])
        self.assertExit(out, 0)
        self.assertIn("seen=300", out.stdout)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[1].strip(), "300", "only this job's packages are in the cache folder")
        self.assertNotIn("WROTE", out.stdout, "a dependency bind is read-only")
        self.assertIn("Read-only file system", out.stderr)
        self.assertNotIn("OTHER", out.stdout, "another job's package is not visible")

    def test_repeated_param_and_below_a_directory(self):
        gems = []
        for name in ("rake-13.0", "json-2.7"):
            p = os.path.join(self.cache, "ruby", name)
            os.makedirs(p)
            gems.append(p)
        out = self.run_sh("ls /gems", lists=[("GEMS", g) for g in gems])
        self.assertExit(out, 0)
        self.assertEqual(sorted(out.stdout.split()), ["json-2.7", "rake-13.0"])

    def test_list_value_over_a_policy_mount_is_refused(self):
        for value, why in (("/tmp", "is a mount target of the policy"), ("/proc", "system directory"),
                           ("/", "the sandbox's root")):
            out = self.run_sh("true", lists=[("DEPS", value)])
            self.assertExit(out, 121)
            self.assertOneLineError(out, "DEPS=" + value, why)

    def test_scalar_param_file_is_refused(self):
        listing = os.path.join(self.top, "main.txt")
        with open(listing, "w") as f:
            f.write("u/admin/my_script\n")
        out = self.run_sh("true", files=[("MAIN", listing)])
        self.assertExit(out, 121)
        self.assertOneLineError(out, "--param-file MAIN", "not a list parameter")

    # -- volumes ----------------------------------------------------------

    def test_volume_at_an_allowed_target(self):
        vol = os.path.join(self.top, "volumes", "data")
        os.makedirs(vol)
        os.chmod(vol, 0o777)
        out = self.run_sh("echo saved > /tmp/volumes/data/out.txt && cat /tmp/volumes/data/out.txt",
                          lists=[("VOLUMES", vol + ":/tmp/volumes/data")])
        self.assertExit(out, 0)
        self.assertEqual(out.stdout, "saved\n")
        with open(os.path.join(vol, "out.txt")) as f:
            self.assertEqual(f.read(), "saved\n", "a volume's writes reach its host directory")

    def test_volume_targets_refused(self):
        vol = os.path.join(self.top, "volumes", "data")
        os.makedirs(vol)
        for target, why in (("/etc", "is not below /tmp/volumes, /mnt"),
                            ("/proc/x", "is not below /tmp/volumes, /mnt"),
                            ("/tmp/../etc", "'..' component"),
                            ("/tmp/volumes", "is not below /tmp/volumes, /mnt"),
                            ("/mnt", "is not below /tmp/volumes, /mnt")):
            out = self.run_sh("true", lists=[("VOLUMES", vol + ":" + target)])
            self.assertExit(out, 121)
            self.assertOneLineError(out, "VOLUMES=", why)

    # -- cache links ------------------------------------------------------

    def go_cache_hit(self, link_text):
        """The Go executor's cache hit: <job>/main -> <cache>/go/<hash>/main."""
        built = os.path.join(self.cache, "go", "0123abcd")
        os.makedirs(built, exist_ok=True)
        with open(os.path.join(built, "main"), "w") as f:
            f.write("#!/bin/sh\necho cached binary ran\n")
        os.chmod(os.path.join(built, "main"), 0o755)
        os.symlink(link_text, os.path.join(self.job, "main"))
        return built

    def test_cache_link_is_followed(self):
        built = self.go_cache_hit(os.path.join(self.cache, "go", "0123abcd", "main"))
        out = self.run_sh("/tmp/main", params={"CACHE_DIR": self.cache})
        self.assertExit(out, 0)
        self.assertEqual(out.stdout, "cached binary ran\n")
        self.assertTrue(os.path.exists(os.path.join(built, "main")))

    def test_directory_link_is_followed(self):
        # The Java executor links <job>/target to its cached build directory.
        built = os.path.join(self.cache, "java", "feed")
        os.makedirs(os.path.join(built, "classes"))
        os.symlink(built, os.path.join(self.job, "target"))
        out = self.run_sh("ls /tmp/target", params={"CACHE_DIR": self.cache})
        self.assertExit(out, 0)
        self.assertEqual(out.stdout, "classes\n")

    def test_hostile_cache_links_are_refused(self):
        os.makedirs(os.path.join(self.cache, "go"), exist_ok=True)
        inner = os.path.join(self.cache, "go", "escape")
        os.symlink("/etc", inner)  # a link inside the cache that leaves it
        for text, needle in (("/etc/passwd", "not a path below"),
                             ("go/0123abcd/main", "not a path below"),  # relative: Windmill's links are absolute
                             (os.path.join(self.cache, "..", "..", "etc", "passwd"), "not a path below"),
                             ("/proc/self/root/etc/passwd", "not a path below"),
                             (os.path.join(inner, "passwd"), "resolves outside")):
            link = os.path.join(self.job, "main")
            if os.path.lexists(link):
                os.unlink(link)
            os.symlink(text, link)
            out = self.run_sh("cat /tmp/main", params={"CACHE_DIR": self.cache})
            self.assertExit(out, 122)
            self.assertOneLineError(out, "follow", needle)

    def test_link_without_follow_still_refused(self):
        # MAIN's bind has no `follow`: a link there is refused as before.
        target = os.path.join(self.cache, "x.py")
        with open(target, "w") as f:
            f.write("print(1)\n")
        os.unlink(os.path.join(self.job, "u", "admin", "my_script.py"))
        os.symlink(target, os.path.join(self.job, "u", "admin", "my_script.py"))
        out = self.run_sh("true", params={"MAIN": "u/admin/my_script"})
        self.assertExit(out, 122)
        self.assertOneLineError(out, "open_tree", "never followed")

    # -- binds onto existing files ---------------------------------------

    def test_file_bind_inside_a_read_only_directory_bind(self):
        out = self.run_sh("echo '{\"x\": 1}' > /job/result.json && cat /etc/hosts >/dev/null && "
                          "(echo x > /job/other 2>/dev/null && echo WROTE; true)")
        self.assertExit(out, 0)
        self.assertNotIn("WROTE", out.stdout, "the job dir itself stays read-only")
        with open(os.path.join(self.job, "result.json")) as f:
            self.assertEqual(f.read(), '{"x": 1}\n')

    def test_etc_rebinds_are_read_only(self):
        out = self.run_sh("echo x >> /etc/hosts && echo WROTE; true")
        self.assertExit(out, 0)
        self.assertNotIn("WROTE", out.stdout)
