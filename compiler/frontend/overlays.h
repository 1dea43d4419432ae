// SPDX-License-Identifier: Apache-2.0
// Stage 5b: overlay mounts. Each `overlay` has at least one lower directory
// (at most kMaxOverlayLowers), an upper and a work directory together or
// neither (or `upper tmpfs` alone), a work directory that is neither the
// upper nor nested with it, and only the options an overlay can honour;
// `lower`, `upper` and `work` appear on no other mount.
#pragma once

#include <cstddef>

#include "diag/diagnostics.h"
#include "frontend/ast.h"
#include "frontend/names.h"

namespace stockade::frontend {

// The launcher's bound on lower directories of one overlay
// (runtime/capacity.h kMaxOverlayLowers; tests/emit holds the two equal).
constexpr size_t kMaxOverlayLowers = 16;

bool check_overlays(const ast::Program& program, const Scope& scope, diag::Sink& sink);

}  // namespace stockade::frontend
