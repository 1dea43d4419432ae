// SPDX-License-Identifier: Apache-2.0
// Windmill's Deno wrapper in miniature: read args.json, call the user's
// inner.ts, write result.json, each relative to the job directory (the cwd),
// as the current executor's wrapper.ts does.
import { main } from "./inner.ts";

const args = JSON.parse(await Deno.readTextFile("args.json"));
const result = await main(args.text, args.n);
let rootVisible = true;
try {
  await Deno.stat("/root");
} catch (e) {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
  rootVisible = false;
}
result.sandbox = {
  hostname: Deno.hostname(),
  uid: Deno.uid(),
  cwd: Deno.cwd(),
  root_visible: rootVisible,
};
// The address-space limit the policy set, as the kernel reports it (Deno
// lets only --allow-all read /proc/self).
try {
  const limits = await Deno.readTextFile("/proc/self/limits");
  result.as_limit = limits.match(/^Max address space\s+(\S+)/m)![1];
} catch (e) {
  if (!(e instanceof Deno.errors.NotCapable)) throw e;
}
await Deno.writeTextFile("result.json", JSON.stringify(result));
