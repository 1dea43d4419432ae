"""ctest deb_lintian: CPack's .deb holds what a distribution ships, its
launcher runs a python3 job from the unpacked package, and lintian reports
no tag that packaging/lintian-explained.txt does not explain. Prints the
package's size and contents. Usage: deb_check.py BUILD_DIR SOURCE_DIR WORK_DIR"""

import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import skips  # noqa: E402

WANT = ["usr/bin/stockade", "usr/bin/stockadec", "usr/share/stockade/policies/base.policy",
        "usr/share/stockade/policies/python3.policy", "usr/share/stockade/runtime/build_launcher.cmake",
        "usr/lib/cmake/Stockade/StockadeConfig.cmake", "usr/share/man/man1/stockade.1.gz",
        "usr/share/man/man1/stockadec.1.gz", "usr/share/man/man5/stockade.policy.5.gz",
        "usr/share/bash-completion/completions/stockade", "usr/share/doc/stockade/copyright",
        "usr/share/doc/stockade/changelog.gz", "usr/share/lintian/overrides/stockade"]


def run(args, **kw):
    out = subprocess.run(args, capture_output=True, text=True, **kw)
    if out.returncode != 0:
        raise SystemExit("FAILED: %s: exit %d\n%s%s" % (" ".join(args), out.returncode, out.stdout[-3000:],
                                                        out.stderr[-3000:]))
    return out


def main():
    build, source, work = (os.path.abspath(a) for a in sys.argv[1:4])
    if not shutil.which("lintian") or not shutil.which("dpkg-deb"):
        sys.exit(skips.skip_whole_run("lintian or dpkg-deb missing (apt-get install lintian)"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    run(["cpack", "-G", "DEB", "-B", work, "--config", os.path.join(build, "CPackConfig.cmake")])
    debs = glob.glob(os.path.join(work, "stockade_*.deb"))
    if len(debs) != 1:
        raise SystemExit("FAILED: cpack made %r" % debs)
    deb = debs[0]
    listing = run(["dpkg-deb", "-c", deb]).stdout
    files = [ln.split()[-1].lstrip("./") for ln in listing.splitlines() if not ln.startswith("d")]
    missing = [w for w in WANT if w not in files]
    if missing:
        raise SystemExit("FAILED: not in the .deb: %s" % ", ".join(missing))
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout.strip()
    print("%s: %d bytes, %d files; Depends: %s" % (os.path.basename(deb), os.path.getsize(deb), len(files), depends))

    # The packaged launcher runs a job (unpacked, not installed: a test does
    # not change the machine's /usr).
    root = os.path.join(work, "root")
    run(["dpkg-deb", "-x", deb, root])
    if os.geteuid() == 0:
        job = os.path.join(work, "job")
        os.makedirs(job)
        with open(os.path.join(job, "wrapper.py"), "w") as f:
            f.write("import json\njson.dump({'sum': sum(range(10))}, open('/tmp/result.json', 'w'))\n")
        for name, text in (("main.py", ""), ("args.json", "{}"), ("result.json", "")):
            with open(os.path.join(job, name), "w") as f:
                f.write(text)
        run([os.path.join(root, "usr/bin/stockade"), "run", "python3", "--param", "JOB_DIR=" + job,
             "--param", "PY_INSTALL_DIR=/usr/lib/python3", "--", "/usr/bin/python3", "/tmp/wrapper.py"],
            env={"PATH": "/usr/bin:/bin"})
        with open(os.path.join(job, "result.json")) as f:
            if f.read() != '{"sum": 45}':
                raise SystemExit("FAILED: the packaged launcher's python3 job wrote no result")
        print("the packaged stockade ran a python3 job")
    else:
        print("skipped: running the packaged launcher needs root")

    explained = {}
    with open(os.path.join(source, "packaging", "lintian-explained.txt")) as f:
        for ln in f:
            if ln.strip() and not ln.startswith("#"):
                tag, _, why = ln.strip().partition(" ")
                explained[tag] = why.strip()
    out = subprocess.run(["lintian", "--no-tag-display-limit", deb], capture_output=True, text=True)
    tags = [ln for ln in out.stdout.splitlines() if ln[:2] in ("E:", "W:", "I:", "X:")]
    unexplained = [t for t in tags if t.split()[2] not in explained]
    for t in tags:
        print("lintian: " + t + ("" if t in unexplained else "  (explained: packaging/lintian-explained.txt)"))
    if unexplained:
        raise SystemExit("FAILED: lintian tags with no explanation in packaging/lintian-explained.txt")
    print("lintian: %d tags, all explained" % len(tags))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
