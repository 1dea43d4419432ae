// SPDX-License-Identifier: Apache-2.0
// The fuzz harnesses' entry points, one per input language. libFuzzer's
// LLVMFuzzerTestOneInput (libfuzzer_main.cc, clang only) and the replay
// program that ctest runs over regressions/ (replay.cc, any compiler) call
// the same functions, so a regression input goes through exactly the code
// the fuzzer found it in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stockade::fuzz {

// A .policy file (includes served from policies/ and the front end
// fixtures only, never the rest of the disk).
void policy_frontend(const uint8_t* data, size_t size);
// A Kafel fragment, after the shipped denylist's definitions; lines after a
// line `%%` are `expect` texts checked against the compiled program.
void kafel_frontend(const uint8_t* data, size_t size);
// `stockadec import-nsjail` on protobuf text / JSON, then the front end on
// the policy it writes.
void nsjail_text(const uint8_t* data, size_t size);
void nsjail_json(const uint8_t* data, size_t size);
// The launcher's command line: NUL-separated argv words (argv[0] implied);
// after a double NUL, the content every --param-file names. Then params
// against the unit-test tables and the plan they resolve to.
void launcher_args(const uint8_t* data, size_t size);

using Entry = void (*)(const uint8_t*, size_t);
// nullptr for an unknown harness name.
Entry entry_named(std::string_view name);

}  // namespace stockade::fuzz
