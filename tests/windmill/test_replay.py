# SPDX-License-Identifier: Apache-2.0
"""Executor replays: per Windmill job type, the job directory, cache and
environment the executor prepares, the command line it runs after `--`, and
what the worker then checks (result file, streamed stdout, exit code).
Real interpreters where this machine has them; a stand-in (standin.py) that
checks the same layout where it does not. Each test says which it ran."""

import json
import os
import shutil
import subprocess
import sys
import time
import unittest

import standin
import worker

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "jobs"))
import jobkit  # noqa: E402  (npm runtimes, the TOOL_DIR trick)

PYTHON = "/usr/bin/python3"
SIX = "/usr/lib/python3/dist-packages/six.py"   # Debian's python3-six


def stdlib_dir():
    out = subprocess.run([PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                         stdout=subprocess.PIPE, check=True)
    return out.stdout.decode().strip()


def py_cache_tag():
    out = subprocess.run([PYTHON, "-c", "import sys; print('%d%d' % sys.version_info[:2])"],
                         stdout=subprocess.PIPE, check=True)
    return "python_" + out.stdout.decode().strip()


def need(test, *programs):
    for p in programs:
        if shutil.which(p) is None and not os.path.exists(p):
            if os.environ.get("STOCKADE_CI") == "1" and p in REQUIRED_IN_CI:
                test.fail("%s is missing, but .ci/install-deps installs it" % p)
            test.skipTest("%s is not installed: the real-interpreter replay needs it" % p)


# What .ci/install-deps installs, so CI must run these for real.
REQUIRED_IN_CI = {PYTHON, "bash", "ruby", "php", "go", SIX}

# Windmill's Python wrapper in the shape the executor writes it: import the
# user's main from MAIN's module path, call it with args.json, stream, write
# result.json.
PY_WRAPPER = """\
import json, sys, time
from u.admin.my_script import main
args = json.load(open("args.json"))
print("wrapper: start", flush=True)
res = main(**args)
with open("result.json", "w") as f:
    json.dump(res, f)
"""

PY_MAIN = """\
import os, time, six
def main(n, text):
    held = b"x" * (64 << 20)   # 64 MiB, written: the stats stream's peak must see it
    print("main: first line", flush=True)
    time.sleep(0.4)
    print("main: second line", flush=True)
    visible = sorted(os.listdir(os.path.dirname(os.path.dirname(six.__file__))))
    return {"sum": sum(range(n)), "text": text, "six": six.__version__, "six_file": six.__file__,
            "cache_listing": visible, "hostname": os.uname().nodename,
            "job_id": os.environ.get("WM_JOB_ID"), "tz": os.environ.get("TZ"),
            "pythonpath": os.environ.get("PYTHONPATH")}
"""

BASH_WRAPPER = """\
set -e
set -o pipefail
# The shape of the bash executor's wrapper: run main.sh with the job's
# arguments, stream its output, keep its last line in result2.out.
bash /tmp/main.sh "$@" 2>&1 | while IFS= read -r line || [ -n "$line" ]; do
  printf '%s\\n' "$line"
  printf '%s\\n' "$line" > /tmp/result2.out
done
"""

BASH_MAIN = """\
echo "main: first line"
sleep 0.4
echo "main: second line"
[ -e /dev/fd/0 ] && fd=true || fd=false
cat <(echo substituted) >/dev/null
echo "{\\"args\\": \\"$1 $2\\", \\"job\\": \\"$WM_JOB_ID\\", \\"fd\\": $fd, \\"host\\": \\"$(uname -n)\\"}"
"""


class Replay(unittest.TestCase):
    maxDiff = None

    def assertExit(self, out, code):
        self.assertEqual(out.returncode, code, out.describe())

    def assertStandin(self, out, hostname, cwd):
        self.assertExit(out, 0)
        self.assertIsInstance(out.result, dict, out.describe())
        self.assertEqual(out.result.get("fail"), "", out.describe())
        self.assertEqual(out.result.get("hostname"), hostname, out.describe())
        self.assertEqual(out.result.get("cwd"), cwd, out.describe())

    def assertStreamed(self, out, first, second):
        """`first` reached the worker before the job wrote `second`."""
        times = {text: t for t, text in out.lines}
        self.assertIn(first, times, out.describe())
        self.assertIn(second, times, out.describe())
        self.assertGreater(times[second] - times[first], 0.2, "stdout was not streamed\n" + out.describe())

    # -- real interpreters ------------------------------------------------

    def python_job(self, deps_count=0):
        need(self, PYTHON, SIX)
        cache = worker.Cache(self)
        tag = py_cache_tag()
        six_dir = cache.folder(tag, worker.unique("six==1.16.0-"))
        shutil.copy(SIX, six_dir)
        deps = [six_dir] + [cache.folder(tag, worker.unique("pkg%03d==1.0-" % i)) for i in range(deps_count)]
        other = cache.folder(tag, worker.unique("not-this-job==9.9-"))
        job = worker.WorkerJob(self, {"u/admin/my_script.py": PY_MAIN, "wrapper.py": PY_WRAPPER,
                                      "args.json": json.dumps({"n": 100, "text": "hi"}), "result.json": ""})
        params = {"MAIN": "u/admin/my_script", "PY_INSTALL_DIR": stdlib_dir(), "TIMEOUT": "915",
                  "ADDITIONAL_PYTHON_PATHS": ":".join(deps)}
        return job, deps, other, params

    def test_python3(self):
        job, deps, other, params = self.python_job()
        out = job.run("python3", [PYTHON, "-u", "-m", "wrapper"], params=params,
                      lists=[("DEPS", d) for d in deps], stats=True)
        self.assertExit(out, 0)
        r = out.result
        self.assertEqual((r["sum"], r["text"], r["six"]), (4950, "hi", "1.16.0"), out.describe())
        self.assertEqual(r["six_file"], os.path.join(deps[0], "six.py"))
        self.assertNotIn(os.path.basename(other), r["cache_listing"], "another job's package is visible")
        self.assertEqual((r["hostname"], r["job_id"], r["tz"]), ("python", job.id, "Etc/UTC"))
        self.assertStreamed(out, "main: first line", "main: second line")
        # Peak memory: the stats stream sees the job's 64 MiB. The worker's
        # probe of the launcher's first child reads one of the launcher's
        # own small processes (docs/running-jobs.md), so it is only shown.
        events = [s.get("event") for s in out.stats]
        self.assertEqual((events[0], events[-1]), ("start", "exit"), out.stats)
        self.assertGreater(out.stats[-1]["peak_memory_bytes"], 64 << 20, out.stats)
        print("\npython3 job: stats peak %d MiB; first child's VmHWM %s kB"
              % (out.stats[-1]["peak_memory_bytes"] >> 20, out.peak_kb), file=sys.stderr)

    def test_python3_100_dependency_binds(self):
        """A hundred packages: their PYTHONPATH (over 4096 bytes, a string
        param's limit) goes on the environment, the binds as 100 DEPS."""
        job, deps, other, params = self.python_job(deps_count=99)
        env = job.env({"PYTHONPATH": params.pop("ADDITIONAL_PYTHON_PATHS")})
        lists = [("DEPS", d) for d in deps]
        out = job.run("python3", [PYTHON, "-u", "-m", "wrapper"], params=params, lists=lists, env=env)
        self.assertExit(out, 0)
        self.assertEqual(out.result["six"], "1.16.0")
        self.assertNotIn(os.path.basename(other), out.result["cache_listing"])
        # Launch cost: the launcher with /bin/true, with the 100 binds and with
        # one; and the whole python3 start with the 100 binds and PYTHONPATH.
        def median_ms(program, lists):
            walls = []
            for _ in range(9):
                t = time.monotonic()
                subprocess.run(job.argv("python3", params, program, lists), env=env, check=True,
                               stdout=subprocess.DEVNULL)
                walls.append(time.monotonic() - t)
            return sorted(walls)[4] * 1000
        true_100 = median_ms(["/bin/true"], lists)
        true_1 = median_ms(["/bin/true"], lists[:1])
        py_100 = median_ms([PYTHON, "-c", "import six"], lists)
        print("\nlauncher + /bin/true: %.1f ms with 100 dependency binds, %.1f ms with 1 (%.0f us per bind); "
              "python3 -c 'import six' with the 100 binds and their PYTHONPATH: %.1f ms"
              % (true_100, true_1, (true_100 - true_1) * 1000 / 99, py_100), file=sys.stderr)

    def test_bash(self):
        need(self, "bash")
        job = worker.WorkerJob(self, {"main.sh": BASH_MAIN, "wrapper.sh": BASH_WRAPPER, "result.json": "",
                                      "result.out": "", "result2.out": ""})
        out = job.run("bash", ["/bin/bash", "wrapper.sh", "one", "two"], params={"TIMEOUT": "915"},
                      result="bash")
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"args": "one two", "job": job.id, "fd": True, "host": "bash"},
                         out.describe())
        self.assertStreamed(out, "main: first line", "main: second line")

    def test_bash_result_json_wins(self):
        need(self, "bash")
        job = worker.WorkerJob(self, {"main.sh": 'echo \'{"a": 1}\' > /tmp/result.json\necho last\n',
                                      "wrapper.sh": BASH_WRAPPER, "result.json": "", "result.out": "",
                                      "result2.out": ""})
        out = job.run("bash", ["/bin/bash", "wrapper.sh"], result="bash")
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"a": 1}, out.describe())

    def test_bash_exit_code(self):
        need(self, "bash")
        job = worker.WorkerJob(self, {"main.sh": "echo failing; exit 3\n", "wrapper.sh": BASH_WRAPPER,
                                      "result.json": "", "result.out": "", "result2.out": ""})
        out = job.run("bash", ["/bin/bash", "wrapper.sh"], result="bash")
        self.assertExit(out, 3)

    def test_bash_podman_socket(self):
        """{DOCKER_SOCK_MOUNT}: the job's own podman socket at /tmp/podman.sock."""
        need(self, "bash")
        import socket
        import threading
        job = worker.WorkerJob(self, {"main.sh": "exec /usr/bin/python3 -c 'import socket; c = socket.socket("
                                      "socket.AF_UNIX); c.connect(\"/tmp/podman.sock\"); print(c.recv(16).decode().strip())'\n",
                                      "wrapper.sh": BASH_WRAPPER, "result.json": "", "result.out": "",
                                      "result2.out": ""})
        server = socket.socket(socket.AF_UNIX)
        self.addCleanup(server.close)
        server.bind(job.path("podman.sock"))
        server.listen(1)

        def answer():
            conn, _ = server.accept()
            conn.sendall(b"podman-ok\n")
            conn.close()
        threading.Thread(target=answer, daemon=True).start()
        out = job.run("bash", ["/bin/bash", "wrapper.sh"], params={"DOCKER_SOCK": job.path("podman.sock")},
                      result="bash")
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"_unparsable": "podman-ok"}, out.describe())

    def test_bash_timeout_kills_everything(self):
        """The worker's time-out: SIGINT, SIGTERM, SIGKILL to the launcher's
        process group; nothing of the job survives, no mount is left."""
        need(self, "bash")
        marker = worker.unique("stockade-replay-")
        main = "trap '' INT TERM\n(exec -a %s sleep 1000) &\nexec -a %s sleep 1000\n" % (marker, marker)
        job = worker.WorkerJob(self, {"main.sh": main, "wrapper.sh": BASH_WRAPPER, "result.json": "",
                                      "result.out": "", "result2.out": ""})
        out = job.run("bash", ["/bin/bash", "wrapper.sh"], result="bash", timeout_s=1.5)
        self.assertNotEqual(out.returncode, 0, out.describe())
        self.assertLess(out.wall_s, 20, out.describe())
        deadline = time.monotonic() + 5
        while worker.processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(worker.processes_with(marker), [], "job processes outlived the kill")
        self.assertEqual(worker.mounts_with(job.dir), [], "mounts of the job are left")

    def test_nodejs(self):
        need(self, "/usr/bin/node")
        lang = "nodejs"
        wrapper = ("import { readFileSync, writeFileSync } from 'fs';\n"
                   "import { main } from './main.js';\n"
                   "const args = JSON.parse(readFileSync('args.json'));\n"
                   "const res = await main(...Object.values(args));\n"
                   "writeFileSync('result.json', JSON.stringify(res));\n")
        main = ("import { hostname } from 'os';\nimport { existsSync } from 'fs';\n"
                "export async function main(a, b) { console.log('main: first line');\n"
                "  await new Promise(r => setTimeout(r, 400)); console.log('main: second line');\n"
                "  return { sum: a + b, host: hostname(), cwd: process.cwd(),\n"
                "           shared: existsSync('/tmp/nodejs/shared/from-flow.txt') }; }\n")
        job = worker.WorkerJob(self, {"wrapper.mjs": wrapper, "main.js": main, "package.json": '{"type": "module"}',
                                      "args.json": json.dumps({"a": 2, "b": 3}), "result.json": "",
                                      "shared/from-flow.txt": "x"})
        out = job.run("bun", ["/usr/bin/node", "/tmp/nodejs/wrapper.mjs"],
                      params={"LANG": lang, "SHARED": "true", "TIMEOUT": "915"})
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"sum": 5, "host": "nodejs", "cwd": "/tmp/nodejs", "shared": True},
                         out.describe())
        self.assertStreamed(out, "main: first line", "main: second line")

    def test_bun(self):
        jobkit.tool_dir_usable(self)
        bun = jobkit.npm_binary(self, jobkit.BUN_PACKAGE, "bin/bun")
        wrapper = ("import { main } from './main.ts';\n"
                   "const args = JSON.parse(await Bun.file('args.json').text());\n"
                   "const res = await main(...Object.values(args));\n"
                   "await Bun.write('result.json', JSON.stringify(res));\n")
        main = ("import { existsSync } from 'fs';\n"
                "export async function main(a: number, b: number) {\n"
                "  return { sum: a + b, cwd: process.cwd(), checkpoint: existsSync('checkpoint.json'),\n"
                "           shared: existsSync('/tmp/bun/shared/from-flow.txt') }; }\n")
        job = worker.WorkerJob(self, {"wrapper.mjs": wrapper, "main.ts": main, "args.json": '{"a": 1, "b": 2}',
                                      "result.json": "", "checkpoint.json": "{}", "shared/from-flow.txt": "x"})
        binds = [(os.path.dirname(bun), jobkit.TOOL_DIR)]
        out = job.run("bun", [os.path.join(jobkit.TOOL_DIR, "bun"), "run", "/tmp/bun/wrapper.mjs"],
                      params={"SHARED": "true"}, wrap=lambda a: jobkit.in_private_mount_ns(binds, a))
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"sum": 3, "cwd": "/tmp/bun", "checkpoint": True, "shared": True},
                         out.describe())

    def test_deno(self):
        """The current deno executor's command line, unchanged: from the job
        directory, host paths in its arguments, Deno's permission flags."""
        jobkit.tool_dir_usable(self)
        deno_bin = jobkit.npm_binary(self, jobkit.DENO_PACKAGE, "deno")
        deno = os.path.join(jobkit.TOOL_DIR, "deno")
        wrapper = ('import { main } from "./main.ts";\n'
                   'const args = JSON.parse(await Deno.readTextFile("args.json"));\n'
                   'const res = await main(...Object.values(args));\n'
                   'await Deno.writeTextFile("result.json", JSON.stringify(res));\n')
        main = ('export async function main(a: number) {\n'
                '  let host = true; try { await Deno.readTextFile("/etc/shadow"); } catch { host = false; }\n'
                '  return { twice: a * 2, cwd: Deno.cwd(), home: Deno.env.get("HOME"), shadow: host }; }\n')
        job = worker.WorkerJob(self, {"wrapper.ts": wrapper, "main.ts": main, "args.json": '{"a": 21}',
                                      "result.json": "", "import_map.json": '{"imports": {}}'})
        cache = worker.Cache(self).folder("deno-" + worker.unique(""))
        program = [deno, "run", "--no-check", "--import-map", job.path("import_map.json"),
                   "--reload=http://localhost:8000", "--unstable-unsafe-proto", "--unstable-bare-node-builtins",
                   "--unstable-webgpu", "--unstable-ffi", "--unstable-fs", "--unstable-worker-options",
                   "--unstable-http", "--allow-net", "--allow-sys",
                   "--allow-read=./,%s/,%s" % (cache, deno), "--allow-write=./", "--allow-env",
                   "--allow-import", "--allow-run=git,/usr/bin/chromium", job.path("wrapper.ts")]
        env = job.env({"HOME": job.dir, "DENO_DIR": cache, "DENO_NO_UPDATE_CHECK": "1", "NO_COLOR": "true"})
        binds = [(os.path.dirname(deno_bin), jobkit.TOOL_DIR)]
        out = job.run("deno", program, params={"CACHE_DIR": cache}, env=env,
                      wrap=lambda a: jobkit.in_private_mount_ns(binds, a))
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"twice": 42, "cwd": job.dir, "home": job.dir, "shadow": False},
                         out.describe())

    def cache_hit(self, lang, link_name, built_name, build):
        """The worker's cache hit: build into /tmp/windmill/cache/<lang>/<hash>
        and link <job dir>/<link_name> to it."""
        cache = worker.Cache(self)
        built = cache.folder(lang, worker.unique("h"))
        build(built)
        job = worker.WorkerJob(self, {"args.json": '{"x": 20}', "result.json": ""})
        os.makedirs(os.path.dirname(job.path(link_name)), exist_ok=True)
        os.symlink(os.path.join(built, built_name) if built_name else built, job.path(link_name))
        return job, built

    def test_go(self):
        need(self, "go")
        src = ('package main\nimport ("encoding/json"; "fmt"; "os")\n'
               'func main() { var a map[string]int; b, _ := os.ReadFile("args.json"); json.Unmarshal(b, &a)\n'
               ' fmt.Println("go: running"); h, _ := os.Hostname()\n'
               ' r, _ := json.Marshal(map[string]interface{}{"y": a["x"] + 1, "host": h})\n'
               ' os.WriteFile("result.json", r, 0644) }\n')

        def build(built):
            with open(os.path.join(built, "main.go"), "w") as f:
                f.write(src)
            env = dict(os.environ, GOCACHE=os.path.join(built, ".gocache"), GOPATH=os.path.join(built, ".gopath"),
                       CGO_ENABLED="0", GO111MODULE="off")
            subprocess.run(["go", "build", "-o", os.path.join(built, "main"), os.path.join(built, "main.go")],
                           env=env, check=True, cwd=built)
            shutil.rmtree(os.path.join(built, ".gocache"), True)
        job, built = self.cache_hit("go", "main", "main", build)
        out = job.run("go", ["/tmp/go/main"], params={"TIMEOUT": "915"})
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"y": 21, "host": "go"}, out.describe())

    def test_go_link_out_of_the_cache_is_refused(self):
        job = worker.WorkerJob(self, {"args.json": "{}", "result.json": ""})
        os.symlink("/usr/bin/id", job.path("main"))
        out = job.run("go", ["/tmp/go/main"])
        self.assertExit(out, 122)
        self.assertIn("follow", out.stderr)

    def test_rust(self):
        rustc = shutil.which("rustc")
        if rustc is None:
            self.skipTest("rustc is not installed: the real-interpreter replay needs it")
        src = ('use std::fs;\nfn main() { let a = fs::read_to_string("args.json").unwrap();\n'
               ' println!("rust: running");\n'
               ' fs::write("result.json", format!("{{\\"args\\": {}}}", a)).unwrap(); }\n')

        def build(built):
            with open(os.path.join(built, "main.rs"), "w") as f:
                f.write(src)
            subprocess.run([rustc, "-O", "-o", os.path.join(built, "main"), os.path.join(built, "main.rs")],
                           check=True, cwd=built)
        job, built = self.cache_hit("rust", "main", "main", build)
        out = job.run("rust", ["/tmp/main"], params={"TIMEOUT": "915"})
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"args": {"x": 20}}, out.describe())

    def test_java(self):
        need(self, "javac", "java")
        src = ('import java.nio.file.*;\npublic class Main { public static void main(String[] a) throws Exception {\n'
               ' String args = new String(Files.readAllBytes(Paths.get("args.json")));\n'
               ' System.out.println("java: running");\n'
               ' Files.write(Paths.get("result.json"), ("{\\"args\\": " + args + "}").getBytes()); } }\n')

        def build(built):
            os.makedirs(os.path.join(built, "classes"))
            with open(os.path.join(built, "Main.java"), "w") as f:
                f.write(src)
            subprocess.run(["javac", "-d", os.path.join(built, "classes"), os.path.join(built, "Main.java")],
                           check=True, cwd=built)
        job, built = self.cache_hit("java", "target", None, build)
        java = os.path.realpath(shutil.which("java"))
        out = job.run("java", [java, "-cp", "/tmp/target/classes", "Main"],
                      params={"TIMEOUT": "915", "CACHE_DIR": os.path.dirname(built)})
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"args": {"x": 20}}, out.describe())

    def test_ruby(self):
        need(self, "ruby")
        cache = worker.Cache(self)
        gem = cache.folder("ruby", worker.unique("gems-"), "greeter-1.0")
        os.makedirs(os.path.join(gem, "lib"))
        with open(os.path.join(gem, "lib", "greeter.rb"), "w") as f:
            f.write("module Greeter\n  def self.hi(n) = \"hi #{n}\"\nend\n")
        other = cache.folder("ruby", worker.unique("gems-"), "other-9.9")
        main = ('require "json"\nrequire "greeter"\nargs = JSON.parse(File.read("/tmp/args.json"))\n'
                'puts "ruby: running"\n'
                'res = { "msg" => Greeter.hi(args["n"]), "other" => File.exist?(%s) }\n'
                'File.write("/tmp/result.json", JSON.generate(res))\n' % json.dumps(other))
        job = worker.WorkerJob(self, {"main.rb": main, "args.json": '{"n": 7}', "result.json": ""})
        out = job.run("ruby", ["/usr/bin/ruby", "/tmp/main.rb"], params={"TIMEOUT": "915"},
                      lists=[("DEPS", gem)], env=job.env({"RUBYLIB": os.path.join(gem, "lib")}))
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"msg": "hi 7", "other": False}, out.describe())

    def test_php(self):
        need(self, "php")
        wrapper = ('<?php\nrequire_once "/tmp/main.php";\n$args = json_decode(file_get_contents("/tmp/args.json"), true);\n'
                   'echo "php: running\\n";\n'
                   'file_put_contents("/tmp/result.json", json_encode(main(...$args)));\n')
        main = '<?php\nfunction main($a, $b) { return ["sum" => $a + $b, "host" => gethostname()]; }\n'
        job = worker.WorkerJob(self, {"wrapper.php": wrapper, "main.php": main, "args.json": '{"a": 4, "b": 5}',
                                      "result.json": ""})
        out = job.run("php", ["/usr/bin/php", "/tmp/wrapper.php"], params={"TIMEOUT": "915"},
                      env=job.env({"COMPOSER_HOME": "/tmp/composer"}))
        self.assertExit(out, 0)
        self.assertEqual(out.result, {"sum": 9, "host": "php"}, out.describe())


# -- stand-ins -------------------------------------------------------------
#
# policy name -> function(test) returning (job, program, params, lists, wrap,
# expected hostname, expected cwd, where the worker reads the result).

def job_with(test, files=None, dirs=()):
    base = {"args.json": '{"x": 1}', "result.json": ""}
    base.update(files or {})
    return worker.WorkerJob(test, base, dirs)


def opt(*paths):
    """For policies binding a host directory this machine lacks: a private
    mount namespace that has it (empty)."""
    missing = [p for p in paths if not os.path.exists(p)]
    return (lambda a: worker.in_private_mount_ns(missing, a)) if missing else None


def case_csharp(t):
    built = worker.Cache(t).folder("csharp", worker.unique("h"))
    with open(os.path.join(built, "Main"), "w") as f:
        f.write(standin.script(see=["/tmp/args.json", "/usr/share/dotnet"], write=["/tmp/result.json"],
                               readonly=["/tmp/args.json", "/tmp/main"], env=["WM_JOB_ID"],
                               result="/tmp/result.json"))
    os.chmod(os.path.join(built, "Main"), 0o755)
    job = job_with(t, dirs=["out"])
    os.symlink(os.path.join(built, "Main"), job.path("out/Main"))
    return job, ["/tmp/main"], {"TIMEOUT": "915"}, [], opt("/usr/share/dotnet"), "csharp", "/tmp", None


def case_r(t):
    lib = worker.Cache(t).folder("r", worker.unique("lib-"))
    job = job_with(t, {"main.r": "main <- function(x) x\n"})
    s = standin.script(see=["/tmp/main.r", lib], write=["/tmp/result.json"], readonly=["/tmp/main.r", lib, "/etc"],
                       env=["WM_JOB_ID", "R_LIBS_USER"], result="/tmp/result.json")
    return job, standin.argv(s), {"R_CACHE_DIR": lib}, [], None, "r", "/tmp", None


def case_powershell(t):
    mods = worker.Cache(t).folder("powershell", worker.unique("m-"))
    job = job_with(t, {"main.ps1": "param($x)\n", "wrapper.ps1": "", "result.out": "", "result2.out": ""})
    s = standin.script(see=["/tmp/main.ps1", "/tmp/wrapper.ps1", "/opt/microsoft", "/dev/fd/0", mods],
                       write=["/tmp/result.json", "/tmp/result.out", "/tmp/result2.out"], readonly=[mods],
                       env=["WM_JOB_ID"], result="/tmp/result.json")
    return job, standin.argv(s), {"CACHE_DIR": mods, "TIMEOUT": "915"}, [], opt("/opt/microsoft"), \
        "powershell", "/tmp", None


def case_install_powershell(t):
    mods = worker.Cache(t).folder("powershell", worker.unique("m-"))
    job = job_with(t)
    s = standin.script(see=["/opt/microsoft", "/dev/fd/0"], write=[mods, "/tmp"], readonly=["/opt/microsoft"],
                       produce=[(mods + "/Module.psd1", "@{}")], result=None)
    return job, standin.argv(s), {"CACHE_DIR": mods}, [], opt("/opt/microsoft"), "powershell", "/tmp", \
        ("file", os.path.join(mods, "Module.psd1"))


def case_nu(t):
    tool = worker.Cache(t).folder(worker.unique("nu-"))
    nu = os.path.join(tool, "nu")
    with open(nu, "w") as f:
        f.write(standin.script(see=["/tmp/main.nu", nu], write=["/tmp/result.json", "/tmp/args.json"],
                               readonly=["/tmp/main.nu", nu], env=["WM_JOB_ID"], result="/tmp/result.json"))
    os.chmod(nu, 0o755)
    job = job_with(t, {"main.nu": "def main [x] { $x }\n"})
    return job, [nu, "/tmp/main.nu"], {"NU_PATH": nu, "TIMEOUT": "915"}, [], None, "nu", "/tmp", None


def case_ansible(t):
    cache = worker.Cache(t)
    tool = cache.folder(worker.unique("uv-tools-"), "ansible")
    dep = cache.folder(py_cache_tag(), worker.unique("jmespath==1.0.1-"))
    other = cache.folder(py_cache_tag(), worker.unique("other==1-"))
    s = standin.script(see=["/tmp/main.yml", "/tmp/ansible.cfg", "/tmp/ansible_collections", tool, dep,
                            stdlib_dir()],
                       write=["/tmp/result_nsjail_mount.json"], readonly=["/tmp/main.yml", dep, tool],
                       env=["WM_JOB_ID", "ANSIBLE_CONFIG", "PYTHONPATH"], result="/tmp/result_nsjail_mount.json")
    s = s.replace("fail=\n", "fail=\n[ ! -e %s ] || fail=\"$fail visible:other\"\n" % other, 1)
    job = job_with(t, {"main.yml": "- hosts: localhost\n", "wrapper.sh": s, "ansible.cfg": "[defaults]\n"},
                   dirs=["ansible_collections"])
    return job, ["/bin/bash", "/tmp/wrapper.sh"], \
        {"PY_INSTALL_DIR": stdlib_dir(), "ANSIBLE_DIR": tool, "ADDITIONAL_PYTHON_PATHS": dep, "TIMEOUT": "915"}, \
        [("DEPS", dep)], None, "ansible", "/tmp", None


def case_dbt(t):
    engine = worker.Cache(t).folder(worker.unique("dbt-engine-"))
    job = job_with(t, dirs=["project", "jail_tmp"])
    s = standin.script(see=[engine], write=[job.dir, job.path("project"), "/tmp"], readonly=[engine, "/etc"],
                       env=["WM_JOB_ID"], produce=[("/tmp/on-disk", "x")], result=job.path("result.json"))
    return job, standin.argv(s), {"PROJECT_DIR": job.path("project"), "ENGINE_DIR": engine, "TMP_ON_DISK": "true",
                                  "TIMEOUT": "915"}, [], None, "dbt", job.path("project"), None


def case_docker(t):
    sys.path.insert(0, os.path.join(HERE, "..", "jobs"))
    import test_every_policy
    root = test_every_policy.image_root(t)
    s = standin.script(see=["/.image/app", "/bin/sh"], write=["/.image/app/result.json", "/.image/app"],
                       env=["WM_JOB_ID"], result="/.image/app/result.json")
    job = job_with(t)
    return job, standin.argv(s), {"ROOTFS": root, "WORKDIR": "/.image/app", "RESULT_AT": "/.image/app/result.json",
                                  "TIMEOUT": "915"}, [], None, "container", "/.image/app", None


def case_sandbox(t):
    ws = worker.Cache(t).folder(worker.unique("sandbox-"))
    s = standin.script(write=["/workspace", "/tmp"], readonly=["/usr"], env=["WM_JOB_ID"],
                       result="/workspace/result.json")
    return job_with(t), standin.argv(s), {"SANDBOX_DIR": ws}, [], None, "sandbox", "/workspace", \
        ("json", os.path.join(ws, "result.json"))


def case_download_py(t):
    cache = worker.Cache(t)
    wd = cache.folder(worker.unique("worker-"))
    target = cache.folder(py_cache_tag(), worker.unique("six==1.16.0-"))
    with open(os.path.join(wd, "download_deps.py.sh"), "w") as f:
        f.write(standin.script(see=[stdlib_dir(), "/download_deps.sh"], write=[target], readonly=[stdlib_dir(), "/usr"],
                               env=["WM_JOB_ID", "HOME"], produce=[(target + "/six.py", "# downloaded")]))
    return job_with(t), ["/bin/sh", "/download_deps.sh"], \
        {"WORKER_DIR": wd, "TARGET_DIR": target, "PY_INSTALL_DIR": stdlib_dir()}, [], None, "python", "/tmp", \
        ("file", os.path.join(target, "six.py"))


def case_download_py_pip(t):
    wd = worker.Cache(t).folder(worker.unique("worker-"))
    with open(os.path.join(wd, "download_deps.py.pip.sh"), "w") as f:
        f.write(standin.script(see=["/download_deps.sh"], write=["/tmp"], readonly=["/etc", "/download_deps.sh"],
                               env=["WM_JOB_ID"]))
    return job_with(t), ["/bin/sh", "/download_deps.sh"], {"WORKER_DIR": wd}, [], None, "python", "/tmp", None


def case_download_rust(t):
    cache = worker.Cache(t)
    build = cache.folder(worker.unique("rust-build-"))
    home = cache.folder(worker.unique("cargo-"))
    for d in ("registry", "git"):
        os.makedirs(os.path.join(build, d))
        os.makedirs(os.path.join(home, d))
    s = standin.script(see=[home + "/registry", build], write=["/tmp", home + "/registry", home + "/git", build],
                       readonly=[home], produce=[(home + "/registry/crate", "x")])
    return job_with(t), standin.argv(s), {"BUILD": build, "CARGO_HOME": home}, [], None, "rust", "/tmp", \
        ("file", os.path.join(build, "registry", "crate"))


def case_install_r(t):
    pkg = worker.Cache(t).folder("r", worker.unique("lib-"))
    s = standin.script(write=["/install", "/tmp"], readonly=["/usr", "/etc"], env=["R_INSTALL_TAR", "WM_JOB_ID"],
                       produce=[("/install/DESCRIPTION", "Package: x")])
    return job_with(t), standin.argv(s), {"PKG_DIR": pkg}, [], None, "r", "/tmp", \
        ("file", os.path.join(pkg, "DESCRIPTION"))


def case_lock_php(t):
    composer = worker.Cache(t).folder("composer-" + worker.unique(""))
    job = job_with(t, {"composer.json": "{}"})
    s = standin.script(see=["composer.json"], write=[job.dir, composer], readonly=["/usr"],
                       env=["WM_JOB_ID"], produce=[("composer.lock", "{}")])
    return job, standin.argv(s), {"COMPOSER_CACHE_DIR": composer}, [], None, "php", job.dir, \
        ("file", job.path("composer.lock"))


def case_lock_py(t):
    uv = worker.Cache(t).folder("uv-" + worker.unique(""))
    job = job_with(t, {"requirements.in": "six\n"})
    s = standin.script(see=["requirements.in", stdlib_dir()], write=[job.dir, uv, "/tmp"], readonly=[stdlib_dir()],
                       env=["WM_JOB_ID"], produce=[("requirements.txt", "six==1.16.0")])
    return job, standin.argv(s), {"UV_CACHE_DIR": uv, "PY_INSTALL_DIR": stdlib_dir()}, [], None, "python", \
        job.dir, ("file", job.path("requirements.txt"))


def case_resolve_r(t):
    job = job_with(t, {"main.r": ""})
    s = standin.script(see=["/tmp/main.r"], write=["/tmp"], readonly=["/etc"], produce=[("/tmp/lock", "x")])
    return job, standin.argv(s), {}, [], None, "r", "/tmp", ("file", job.path("lock"))


def case_build_csharp(t):
    cache = worker.Cache(t)
    dotnet = cache.folder(worker.unique("dotnet-"))
    nuget = cache.folder("csharp-" + worker.unique(""))
    job = job_with(t, {"Main.csproj": "<Project/>"})
    s = standin.script(see=["Main.csproj", dotnet], write=[job.dir, nuget], readonly=[dotnet],
                       produce=[("Main.dll", "x")])
    return job, standin.argv(s), {"DOTNET_ROOT": dotnet, "CSHARP_CACHE_DIR": nuget}, [], None, "csharp", job.dir, \
        ("file", job.path("Main.dll"))


def case_lock_ruby(t):
    job = job_with(t, {"Gemfile": "source 'https://rubygems.org'\n"})
    s = standin.script(see=["/tmp/Gemfile"], write=["/tmp"], readonly=["/usr"], env=["WM_JOB_ID", "HOME"],
                       produce=[("/tmp/Gemfile.lock", "GEM")])
    return job, standin.argv(s), {}, [], None, "ruby", "/tmp", ("file", job.path("Gemfile.lock"))


def case_download_ruby(t):
    target = worker.Cache(t).folder("ruby", worker.unique("gems-"), "json-2.7.1")
    s = standin.script(write=[target], readonly=["/usr", "/etc"], env=["WM_JOB_ID"],
                       produce=[(target + "/json.gemspec", "x")])
    return job_with(t), standin.argv(s), {"TARGET": target}, [], None, "ruby", "/tmp", \
        ("file", os.path.join(target, "json.gemspec"))


STANDINS = {
    "csharp": case_csharp, "r": case_r, "powershell": case_powershell, "install_powershell": case_install_powershell,
    "nu": case_nu, "ansible": case_ansible, "dbt": case_dbt, "docker": case_docker, "sandbox": case_sandbox,
    "download_py": case_download_py, "download_py_pip": case_download_py_pip, "download_rust": case_download_rust,
    "install_r": case_install_r, "lock_php": case_lock_php, "lock_py": case_lock_py, "resolve_r": case_resolve_r,
    "build_csharp": case_build_csharp, "lock_ruby": case_lock_ruby, "download_ruby": case_download_ruby,
}


def add_standin_tests():
    for name, make in STANDINS.items():
        def test(self, policy=name, make=make):
            job, program, params, lists, wrap, hostname, cwd, read = make(self)
            env = job.env({"R_LIBS_USER": "/tmp/r"} if policy == "r" else None)
            out = job.run(policy, program, params=params, lists=lists, wrap=wrap, env=env)
            if read is not None and read[0] == "json":
                with open(read[1]) as f:
                    out.result = json.load(f)
            if out.result is None:   # tools without a result file: the last stdout line
                out.result = worker.parse(out.lines[-1][1]) if out.lines else None
            self.assertStandin(out, hostname, cwd)
            if read is not None and read[0] == "file":
                self.assertTrue(os.path.exists(read[1]), "the tool's output did not reach %s\n%s"
                                % (read[1], out.describe()))
            if name == "dbt":
                self.assertTrue(os.path.exists(job.path("jail_tmp/on-disk")), "TMP_ON_DISK: /tmp is jail_tmp")
        test.__name__ = "test_standin_" + name
        test.__doc__ = "%s: the executor's layout, checked by a stand-in" % name
        setattr(Replay, test.__name__, test)


add_standin_tests()


class Coverage(unittest.TestCase):
    def test_every_shipped_policy_is_replayed(self):
        """Each policy in policies/ has a replay here (real or stand-in)."""
        policies = sorted(f[:-len(".policy")] for f in os.listdir(os.path.join(HERE, "..", "..", "policies"))
                          if f.endswith(".policy") and f != "base.policy")
        real = {"python3", "bash", "bun", "deno", "go", "rust", "java", "ruby", "php"}
        self.assertEqual(sorted(real | set(STANDINS)), policies)
        self.assertEqual(len(policies), 28)


if __name__ == "__main__":
    unittest.main()
