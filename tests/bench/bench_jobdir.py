# SPDX-License-Identifier: Apache-2.0
"""The job directory the launch benchmarks bind: a Windmill python3 job's
files (main.py, wrapper.py, args.json, result.json, shared/) with the modes
its executor gives them, and an empty interpreter directory beside it."""

import os


def make_job_dir(root):
    job = os.path.join(root, "job")
    py = os.path.join(root, "py")
    os.makedirs(os.path.join(job, "shared"))
    os.makedirs(py)
    for name, mode in (("main.py", 0o644), ("wrapper.py", 0o644), ("args.json", 0o666), ("result.json", 0o666)):
        path = os.path.join(job, name)
        open(path, "w").close()
        os.chmod(path, mode)
    for d in (root, job, py):
        os.chmod(d, 0o755)
    return job, py
