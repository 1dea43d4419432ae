// SPDX-License-Identifier: Apache-2.0
// Windmill's wrapper in miniature: read args.json, call main, write
// result.json (both relative to the job's cwd, /tmp/<LANG>).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { main } from "./main.js";

const args = JSON.parse(readFileSync("args.json", "utf8"));
const result = await main(args.text, args.n);
result.sandbox = {
  hostname: hostname(),
  uid: process.getuid(),
  cwd: process.cwd(),
  root_visible: existsSync("/root"),
};
writeFileSync("result.json", JSON.stringify(result));
