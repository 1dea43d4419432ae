// SPDX-License-Identifier: Apache-2.0
// The packer (compiler/emit/lz_pack.cc) and the launcher's unpacker
// (runtime/unpack.cc) agree, and the unpacker refuses malformed input.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "lz_pack.h"
#include "unpack.h"

using stockade::lz_unpack;
using stockade::emit::lz_pack;

namespace {

// Unpacks into a buffer of exactly `cap` bytes; nullopt-like: returns false.
bool unpack(const std::string& packed, uint32_t cap, std::string& text) {
  std::vector<char> out(cap + 1);
  uint32_t size = 0;
  if (!lz_unpack(packed.data(), static_cast<uint32_t>(packed.size()), out.data(), cap, &size)) return false;
  text.assign(out.data(), size);
  return true;
}

void round_trip(const std::string& text) {
  std::string packed = lz_pack(text);
  std::string back;
  REQUIRE(unpack(packed, static_cast<uint32_t>(text.size()), back));
  CHECK(back == text);
}

}  // namespace

TEST_CASE("empty, short and incompressible texts round-trip") {
  round_trip("");
  round_trip("a");
  round_trip("ab");
  round_trip("abc");
  std::mt19937 rng(7);
  std::string noise;
  for (int i = 0; i < 5000; ++i) noise += static_cast<char>(rng() & 0xff);
  round_trip(noise);
  CHECK(lz_pack(noise).size() <= noise.size() + noise.size() / 50);  // about a token per 128 bytes
}

TEST_CASE("repeated text packs small and round-trips, including overlapping copies") {
  std::string runs(10000, 'x');
  round_trip(runs);
  CHECK(lz_pack(runs).size() < 300);
  std::string para = "mounts, in order:\n  1. bind /bin -> /bin, read-only, nosuid, nodev\n";
  std::string text;
  for (int i = 0; i < 400; ++i) text += "policy p" + std::to_string(i) + "\n" + para;
  round_trip(text);
  CHECK(lz_pack(text).size() * 4 < text.size());
}

TEST_CASE("copies reach back across the whole 64 KiB window and no further") {
  std::mt19937 rng(11);
  std::string block;
  for (int i = 0; i < 1000; ++i) block += static_cast<char>('a' + rng() % 26);
  std::string filler;
  for (int i = 0; i < 70000; ++i) filler += static_cast<char>('A' + rng() % 26);
  round_trip(block + filler.substr(0, 60000) + block);
  round_trip(block + filler + block);  // too far back: packed as literals
  // Matches of every length around the long-copy boundary (129, 130, 385, 386).
  for (size_t len : {128u, 129u, 130u, 131u, 384u, 385u, 386u, 1000u}) round_trip(block + block.substr(0, len) + "!");
}

TEST_CASE("malformed input is refused, never read or written out of bounds") {
  std::string out;
  CHECK_FALSE(unpack(std::string("\x05"
                                 "abc",
                                 4),
                     100, out));  // literal run past the end
  CHECK_FALSE(unpack(std::string("\x00"
                                 "a"
                                 "\x80\x02\x00",
                                 5),
                     100, out));  // copy from before the start
  CHECK_FALSE(unpack(std::string("\x00"
                                 "a"
                                 "\x80\x00\x00",
                                 5),
                     100, out));  // distance 0
  CHECK_FALSE(unpack(std::string("\x00"
                                 "a"
                                 "\x80\x01",
                                 4),
                     100, out));  // token cut short
  CHECK_FALSE(unpack(std::string("\x02"
                                 "abc",
                                 4),
                     2, out));  // longer than the buffer
  CHECK_FALSE(unpack(std::string("\x00"
                                 "a"
                                 "\xfe\x01\x00",
                                 5),
                     50, out));  // copy longer than the buffer
  CHECK_FALSE(unpack(std::string("\x00"
                                 "a"
                                 "\xff\x01\x00",
                                 5),
                     500, out));  // long copy without its length byte
  REQUIRE(unpack(std::string("\x00"
                             "a"
                             "\x81\x01\x00",
                             5),
                 50, out));  // overlapping copy: "a" x 5
  CHECK(out == "aaaaa");
  REQUIRE(unpack(std::string("\x00"
                             "a"
                             "\xff\x01\x00\x05",
                             6),
                 500, out));  // long copy: 1 + 130 + 5
  CHECK(out == std::string(136, 'a'));
  CHECK_FALSE(unpack(std::string("\x00"
                                 "a"
                                 "\xff\x01\x00\x05",
                                 6),
                     135, out));
}
