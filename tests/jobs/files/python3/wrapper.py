# SPDX-License-Identifier: Apache-2.0
# Windmill's wrapper in miniature: read args.json, call main, write
# result.json, and note what the job saw of its sandbox.
import json
import os
import socket

from main import main

with open("/tmp/args.json") as f:
    args = json.load(f)
result = main(**args)
result["sandbox"] = {
    "hostname": socket.gethostname(),
    "uid": os.getuid(),
    "cwd": os.getcwd(),
    "root_visible": os.path.exists("/root"),
}
with open("/tmp/result.json", "w") as f:
    json.dump(result, f)
