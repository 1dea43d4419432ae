// SPDX-License-Identifier: Apache-2.0
// The user's script, in TypeScript: a sieve and a hash.
import { createHash } from "node:crypto";

export function main(text: string, n: number): Record<string, unknown> {
  const sieve = new Uint8Array(n).fill(1);
  sieve[0] = sieve[1] = 0;
  for (let p = 2; p * p < n; p++) {
    if (sieve[p]) for (let m = p * p; m < n; m += p) sieve[m] = 0;
  }
  let count = 0, sum = 0;
  for (let p = 0; p < n; p++) if (sieve[p]) { count++; sum += p; }
  return {
    sha256: createHash("sha256").update(text, "utf8").digest("hex"),
    prime_count: count,
    prime_sum: sum,
  };
}
