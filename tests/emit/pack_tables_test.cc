// SPDX-License-Identifier: Apache-2.0
// stockadec pack-tables (compiler/emit/pack_tables.cc) against the
// launcher's unpack_tables (runtime/unpack_tables.cc): tables compiled and
// linked the way build_launcher.cmake links them (runtime/tables.ld) come
// back with every pointer at its target in the buffer, the buffer is
// read-only afterwards, a damaged image stops the process, and tables the
// image could not hold are refused at build time.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lz_pack.h"
#include "pack_tables.h"
#include "unpack_tables.h"

namespace fs = std::filesystem;
using stockade::emit::pack_tables;
using stockade::emit::PackedTables;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiles `source` and links it alone with `script` (default: the
// launcher's runtime/tables.ld); the ELF's bytes.
std::string link_tables(const std::string& source, const std::string& script = "") {
  char tmpl[] = "/tmp/stockade-pack-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  fs::path dir = tmpl;
  std::ofstream(dir / "t.cc") << source;
  std::string ld = std::string(STOCKADE_RUNTIME_DIR) + "/tables.ld";
  if (!script.empty()) {
    std::ofstream(dir / "t.ld") << script;
    ld = (dir / "t.ld").string();
  }
  std::string cxx = STOCKADE_TEST_CXX;
  std::string cmd = cxx + " -std=c++20 -O1 -fno-pie -fdata-sections -c " + (dir / "t.cc").string() + " -o " +
                    (dir / "t.o").string() + " && " + cxx + " -static -nostdlib -no-pie -Wl,-T," + ld +
                    " -Wl,--emit-relocs -Wl,-e,0 -Wl,--build-id=none " + (dir / "t.o").string() + " -o " +
                    (dir / "t.elf").string() + " 2>" + (dir / "cc.log").string();
  int rc = std::system(cmd.c_str());
  INFO(slurp(dir / "cc.log"));
  REQUIRE(rc == 0);
  std::string elf = slurp(dir / "t.elf");
  fs::remove_all(dir);
  return elf;
}

constexpr const char* kTables = R"(#include <stdint.h>
struct __attribute__((packed)) Row { const char* name; uint8_t tag; const Row* next; };
extern const Row kRows[2];
const Row kRows[2] = {{"alpha", 1, &kRows[1]}, {"beta", 2, nullptr}};
extern const Row* const kFirst;
const Row* const kFirst = &kRows[0];
)";

struct __attribute__((packed)) Row {
  const char* name;
  uint8_t tag;
  const Row* next;
};

uint64_t offset_of(const PackedTables& p, const std::string& name) {
  for (const auto& [n, v] : p.symbols)
    if (n == name) return v;
  FAIL("no symbol " << name);
  return 0;
}

char* unpacked(const PackedTables& p) {
  void* buffer = nullptr;
  REQUIRE(posix_memalign(&buffer, 4096, p.buffer_size) == 0);
  stockade::unpack_tables(p.packed.data(), static_cast<uint32_t>(p.packed.size()), static_cast<char*>(buffer),
                          static_cast<uint32_t>(p.image_size), static_cast<uint32_t>(p.unpacked_size),
                          static_cast<uint32_t>(p.buffer_size));
  return static_cast<char*>(buffer);
}

// The child's wait status after `f`.
template <class F>
int in_child(F f) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    f();
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return status;
}

}  // namespace

TEST_CASE("every pointer comes back at its target, null stays null") {
  PackedTables p = pack_tables(link_tables(kTables));
  CHECK(p.pointers == 4);  // "alpha", &kRows[1], "beta", kFirst
  CHECK(p.buffer_size % 4096 == 0);
  CHECK(p.buffer_size >= p.unpacked_size);
  uint64_t rows = offset_of(p, "kRows");
  uint64_t first = offset_of(p, "kFirst");
  CHECK(p.cpp.find(".set kRows, stockade_table_image + " + std::to_string(rows)) != std::string::npos);
  CHECK(p.cpp.find("__attribute__((constructor))") != std::string::npos);
  char* image = unpacked(p);
  Row r[2];
  memcpy(r, image + rows, sizeof r);
  CHECK(std::string(r[0].name) == "alpha");
  CHECK(r[0].tag == 1);
  CHECK(reinterpret_cast<const char*>(r[0].next) == image + rows + sizeof(Row));
  CHECK(std::string(r[1].name) == "beta");
  const Row* next = r[1].next;
  CHECK(next == nullptr);
  const Row* f = nullptr;
  memcpy(&f, image + first, sizeof f);
  CHECK(reinterpret_cast<const char*>(f) == image + rows);
  const char* name = r[0].name;
  CHECK(name >= image);
  CHECK(name < image + p.image_size);
}

TEST_CASE("the unpacked tables are read-only: a write to them is a SIGSEGV") {
  PackedTables p = pack_tables(link_tables(kTables));
  char* image = unpacked(p);
  uint64_t rows = offset_of(p, "kRows");
  int status = in_child([&] { *reinterpret_cast<volatile char*>(image + rows + 8) = 9; });
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGSEGV);
  CHECK(image[rows + 8] == 1);  // the tag, untouched
}

TEST_CASE("a damaged image ends the process with exit 125 before any table is read") {
  PackedTables p = pack_tables(link_tables(kTables));
  for (size_t cut : {size_t{1}, p.packed.size() / 2, p.packed.size() - 1}) {
    CAPTURE(cut);
    int status = in_child([&] {
      void* buffer = nullptr;
      if (posix_memalign(&buffer, 4096, p.buffer_size) != 0) _exit(1);
      stockade::unpack_tables(p.packed.data(), static_cast<uint32_t>(cut), static_cast<char*>(buffer),
                              static_cast<uint32_t>(p.image_size), static_cast<uint32_t>(p.unpacked_size),
                              static_cast<uint32_t>(p.buffer_size));
    });
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 125);
  }
  // Positions a broken packer could write: a pointer's 8 bytes past the
  // image, a pointer's value past it.
  std::string past(16, '\0');
  past += static_cast<char>(9);  // one pointer at 9: its bytes end at 17
  std::string outside(16, '\0');
  outside[0] = 17;                  // the pointer at 0 holds offset 17 of 16 bytes
  outside += static_cast<char>(0);  // delta 0: at 0
  for (const std::string& stream : {past, outside}) {
    std::string packed = stockade::emit::lz_pack(stream);
    int status = in_child([&] {
      void* buffer = nullptr;
      if (posix_memalign(&buffer, 4096, 4096) != 0) _exit(1);
      stockade::unpack_tables(packed.data(), static_cast<uint32_t>(packed.size()), static_cast<char*>(buffer), 16,
                              static_cast<uint32_t>(stream.size()), 4096);
    });
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 125);
  }
}

TEST_CASE("tables the image could not hold are refused") {
  SUBCASE("writable data") {
    CHECK_THROWS_WITH(pack_tables(link_tables("int counter = 1;\nextern const int k;\nconst int k = 2;\n")),
                      doctest::Contains("data outside .stockade_tables: .data"));
  }
  SUBCASE("not linked at address 0") {
    CHECK_THROWS_WITH(pack_tables(link_tables(kTables,
                                              "SECTIONS { . = 0x1000; .stockade_tables : { *(.rodata*) } "
                                              "/DISCARD/ : { *(.comment) *(.note.*) *(.eh_frame) } }")),
                      doctest::Contains("not linked at address 0"));
  }
  SUBCASE("no table section") {
    CHECK_THROWS_WITH(pack_tables(link_tables(kTables,
                                              "SECTIONS { . = 0; .rodata : { *(.rodata*) } "
                                              "/DISCARD/ : { *(.comment) *(.note.*) *(.eh_frame) } }")),
                      doctest::Contains("no .stockade_tables section"));
  }
  SUBCASE("not ELF") {
    CHECK_THROWS_WITH(pack_tables(std::string(100, 'x')), doctest::Contains("not a little-endian ELF64"));
    CHECK_THROWS_WITH(pack_tables("\x7f"
                                  "ELF"),
                      doctest::Contains("truncated"));
  }
}
