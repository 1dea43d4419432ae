// SPDX-License-Identifier: Apache-2.0
// Packs text for the launcher's lz_unpack (runtime/unpack.h describes the
// format): LZ77 with a 64 KiB window, parsed for the fewest bytes. Deterministic, so the committed
// generated/ can be compared with a fresh compile.
#pragma once

#include <string>

namespace stockade::emit {

std::string lz_pack(const std::string& text);

}  // namespace stockade::emit
