# SPDX-License-Identifier: Apache-2.0
# cmake -P script: the launcher with every shipped policy stays within the
# size budget (LIMIT, set in CMakeLists.txt). Packed tables, pooled rows,
# the notify variant as patches and fewer libc pulls took the 28-policy
# launcher from 153.6 KB to 139.7 KB; the egress filter, reports and help
# then grew it to 158,176 bytes; inlining string_view's constructor from a
# literal, const char* overloads of TextBuf::add and fail, and TextBuf's
# constructor out of line took it to 141,056, and 144,928 with the shipped
# policies of today. Linking the tables as one LZ-packed image that the
# launcher unpacks and relocates before main (compiler/emit/pack_tables.h,
# runtime/unpack_tables.h) took it to 128,744: the 128 KiB target of the
# Windmill-job-types issue. The next bytes, should they be needed: the
# code (~72 KB of the runtime's own, ~12 KB of musl), musl's strerror text
# (2.2 KB), the syscall names (6.7 KB, unpacked), the summaries' packing.
# The file grows byte by byte (-z norelro, -z noseparate-code: no page padding).
# Inputs (-D): LAUNCHER LIMIT.
file(SIZE ${LAUNCHER} size)
math(EXPR kib "${size} / 1024")
if(size GREATER LIMIT)
  message(FATAL_ERROR "launcher: ${LAUNCHER} is ${size} bytes (${kib} KiB), over the budget of ${LIMIT} bytes")
endif()
message(STATUS "launcher: ${size} bytes (${kib} KiB), budget ${LIMIT}")
