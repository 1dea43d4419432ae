# SPDX-License-Identifier: Apache-2.0
# The user's script: a sieve and a hash, the way a Windmill script returns a dict.
import hashlib


def main(text, n):
    sieve = bytearray([1]) * n
    sieve[:2] = b"\0\0"
    for p in range(2, int(n ** 0.5) + 1):
        if sieve[p]:
            sieve[p * p::p] = bytearray(len(range(p * p, n, p)))
    primes = [p for p in range(n) if sieve[p]]
    return {
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "prime_count": len(primes),
        "prime_sum": sum(primes),
    }
