# SPDX-License-Identifier: Apache-2.0
# Windmill's wrapper in miniature: call main, write result.json.
import json

from main import main

with open("/tmp/result.json", "w") as f:
    json.dump(main(), f)
