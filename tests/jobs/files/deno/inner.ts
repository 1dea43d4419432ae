// SPDX-License-Identifier: Apache-2.0
// The user's script: a sieve and a hash (Web Crypto).
export async function main(text: string, n: number): Promise<Record<string, unknown>> {
  const sieve = new Uint8Array(n).fill(1);
  sieve[0] = sieve[1] = 0;
  for (let p = 2; p * p < n; p++) {
    if (sieve[p]) for (let m = p * p; m < n; m += p) sieve[m] = 0;
  }
  let count = 0, sum = 0;
  for (let p = 0; p < n; p++) if (sieve[p]) { count++; sum += p; }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return { sha256, prime_count: count, prime_sum: sum };
}
