# cmake -P script: the launcher with every shipped policy stays within the
# size budget (the issue's target: a static binary of at most 128 KiB).
# Note the file grows in whole pages (ld pads the RELRO segment to a page
# end), so a few bytes of new code or tables can cost 4 KiB at once.
# Inputs (-D): LAUNCHER LIMIT.
file(SIZE ${LAUNCHER} size)
math(EXPR kib "${size} / 1024")
if(size GREATER LIMIT)
  message(FATAL_ERROR "launcher: ${LAUNCHER} is ${size} bytes (${kib} KiB), over the budget of ${LIMIT} bytes")
endif()
message(STATUS "launcher: ${size} bytes (${kib} KiB), budget ${LIMIT}")
