#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds and runs the launch benchmark: stockade-bench (the launcher with
# tests/bench/launch.policy) against /bin/true, unshare and bubblewrap.
#   tests/bench/launch.sh [BUILD_DIR] [-- extra stockade-launch-bench options]
# BUILD_DIR defaults to build-bench in the source tree. Run as root; takes
# a few minutes on an idle machine (1000 interleaved runs per row). Extra options: --runs N, --jobs N,
# --warmup N, --no-bwrap-seccomp, --bwrap PATH, --unshare PATH.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift

cmake -S "$src" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target launch_bench stockade

bench=$build/tests/bench
exec "$bench/stockade-launch-bench" \
  --launcher "$build/stockade-bench" \
  --noop "$bench/launch-noop" \
  --rss-helper "$bench/launch-rss" \
  --shipped-launcher "$build/stockade" \
  "$@"
