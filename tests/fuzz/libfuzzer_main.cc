// SPDX-License-Identifier: Apache-2.0
// libFuzzer's hook for one harness, chosen at build time
// (STOCKADE_FUZZ_ENTRY names a function of entry_points.h).
#include "entry_points.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stockade::fuzz::STOCKADE_FUZZ_ENTRY(data, size);
  return 0;
}
