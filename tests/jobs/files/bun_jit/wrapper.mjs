// SPDX-License-Identifier: Apache-2.0
// Runs main and reports the address-space limit and peak the job had.
import { readFileSync, writeFileSync } from "node:fs";
import { main } from "./main.ts";

const args = JSON.parse(readFileSync("args.json", "utf8"));
const result = main(args.iterations, args.memories);
const limits = readFileSync("/proc/self/limits", "utf8");
const status = readFileSync("/proc/self/status", "utf8");
result.as_limit = limits.match(/^Max address space\s+(\S+)/m)[1];
result.vm_peak_kib = Number(status.match(/^VmPeak:\s+(\d+)/m)[1]);
writeFileSync("result.json", JSON.stringify(result));
