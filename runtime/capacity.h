// SPDX-License-Identifier: Apache-2.0
// Fixed capacities of the launcher's tables (no heap). Exceeding one is a
// clear error, never a silent truncation.
#pragma once

#include <stddef.h>

namespace stockade {

constexpr size_t kMaxParams = 64;               // params one policy declares
constexpr size_t kMaxListItems = 1024;          // values of one list param
constexpr size_t kMaxParamArgs = 2048;          // --param values in all, list values and --param-file lines included
constexpr size_t kMaxParamFileBytes = 1 << 20;  // one --param-file
constexpr size_t kMaxMounts = 2048;             // mounts in one resolved plan, list elements included
constexpr size_t kMaxIdMaps = 8;                // uid_map / gid_map lines
constexpr size_t kMaxOverlayLowers = 16;        // lower directories of one overlay (compiler/frontend/overlays.h)
constexpr size_t kMaxEnv = 4096;                // environment entries handed to the job
constexpr size_t kArenaBytes = 16 << 20;        // resolved strings and plan rows; mapped, committed as used
constexpr size_t kPathMax = 4095;               // longest accepted path value
constexpr size_t kNameMax = 255;                // longest accepted name value
constexpr size_t kStringMax = 4096;             // longest accepted string value

}  // namespace stockade
