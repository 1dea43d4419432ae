// SPDX-License-Identifier: Apache-2.0
// A job that leans on the JIT and on large virtual reservations: hot loops
// that JavaScriptCore compiles, and WebAssembly memories, for which it
// reserves address space far beyond what it touches.
export function main(iterations: number, memories: number): Record<string, unknown> {
  let acc = 0;
  for (let i = 0; i < iterations; i++) acc = (acc + ((i * 2654435761) % 1000003)) % 1000000007;
  const reserved: WebAssembly.Memory[] = [];
  for (let i = 0; i < memories; i++) {
    reserved.push(new WebAssembly.Memory({ initial: 16, maximum: 65536 }));
  }
  reserved[0].grow(1024);  // 64 MiB really used
  new Uint8Array(reserved[0].buffer).fill(7);
  return { acc, memories: reserved.length, grown_bytes: reserved[0].buffer.byteLength };
}
