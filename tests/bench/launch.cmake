# SPDX-License-Identifier: Apache-2.0
# The launch benchmark (tests/bench/launch*): stockade-launch-bench, its two
# static helpers, the stockade-bench launcher with tests/bench/launch.policy,
# and the unit test of its statistics. Nothing but the test is built by
# default; `tests/bench/launch.sh` builds the target launch_bench and runs it.
# Included from tests/bench/CMakeLists.txt.
set(LAUNCH_BENCH_SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(LAUNCH_BENCH_BINARY_DIR ${PROJECT_BINARY_DIR}/tests/bench)
file(MAKE_DIRECTORY ${LAUNCH_BENCH_BINARY_DIR})

set(LAUNCH_BENCH_SOURCES launch_main.cc launch_variant.cc launch_spawn.cc launch_stats.cc
    launch_fixture.cc launch_commands.cc launch_bwrap_filter.cc launch_elf.cc launch_report.cc
    launch_memory.cc)
list(TRANSFORM LAUNCH_BENCH_SOURCES PREPEND ${LAUNCH_BENCH_SOURCE_DIR}/)
add_executable(stockade-launch-bench EXCLUDE_FROM_ALL ${LAUNCH_BENCH_SOURCES})
set_target_properties(stockade-launch-bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${LAUNCH_BENCH_BINARY_DIR})
target_compile_options(stockade-launch-bench PRIVATE ${STOCKADE_WARNINGS})
add_custom_target(launch_bench DEPENDS stockade-launch-bench)

# Two small static musl programs for the peak-RSS figure (when the runtime
# found musl): the do-nothing job, and launch-rss, which forks the launch so
# the driver's own memory is not charged to it (launch_rss.c says why).
if(STOCKADE_GCC AND STOCKADE_MUSL_SPECS)
  foreach(prog noop rss)
    add_custom_command(
      OUTPUT ${LAUNCH_BENCH_BINARY_DIR}/launch-${prog}
      COMMAND ${STOCKADE_GCC} -specs ${STOCKADE_MUSL_SPECS} -static -Os -s -Wall -Wextra -Werror
              -o ${LAUNCH_BENCH_BINARY_DIR}/launch-${prog} ${LAUNCH_BENCH_SOURCE_DIR}/launch_${prog}.c
      DEPENDS ${LAUNCH_BENCH_SOURCE_DIR}/launch_${prog}.c
      COMMENT "Building launch-${prog} (static, musl) for the launch benchmark"
      VERBATIM)
    add_custom_target(launch_bench_${prog} DEPENDS ${LAUNCH_BENCH_BINARY_DIR}/launch-${prog})
    add_dependencies(launch_bench launch_bench_${prog})
  endforeach()
endif()

# The bench policies in their own launcher, stockade-bench.
if(COMMAND stockade_add_launcher_from_tables AND TARGET stockadec)
  set(LAUNCH_BENCH_GENERATED_DIR ${PROJECT_BINARY_DIR}/generated-launch-bench)
  set(LAUNCH_BENCH_POLICIES ${LAUNCH_BENCH_SOURCE_DIR}/launch.policy
      ${PROJECT_SOURCE_DIR}/policies/python3.policy ${PROJECT_SOURCE_DIR}/policies/base.policy)
  add_custom_command(
    OUTPUT ${LAUNCH_BENCH_GENERATED_DIR}/.stamp
    COMMAND stockadec compile --root ${PROJECT_SOURCE_DIR} -o ${LAUNCH_BENCH_GENERATED_DIR}
            ${LAUNCH_BENCH_SOURCE_DIR}/launch.policy
    COMMAND ${CMAKE_COMMAND} -E touch ${LAUNCH_BENCH_GENERATED_DIR}/.stamp
    DEPENDS stockadec ${LAUNCH_BENCH_POLICIES}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "stockadec: compiling tests/bench/launch.policy into ${LAUNCH_BENCH_GENERATED_DIR}")
  add_custom_target(launch_bench_generated DEPENDS ${LAUNCH_BENCH_GENERATED_DIR}/.stamp)
  stockade_add_launcher_from_tables(stockade-bench ${LAUNCH_BENCH_GENERATED_DIR} launch_bench_generated
    EXCLUDE_FROM_ALL OUTPUT_DIR ${PROJECT_BINARY_DIR} FILES ${LAUNCH_BENCH_GENERATED_DIR}/.stamp)
  add_dependencies(launch_bench stockade-bench)
endif()

# The statistics the benchmark prints are unit-tested like any other code.
if(TARGET stockade_test_main)
  add_executable(launch_stats_test ${LAUNCH_BENCH_SOURCE_DIR}/launch_stats_test.cc
    ${LAUNCH_BENCH_SOURCE_DIR}/launch_stats.cc)
  set_target_properties(launch_stats_test PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${LAUNCH_BENCH_BINARY_DIR})
  target_compile_options(launch_stats_test PRIVATE ${STOCKADE_WARNINGS})
  target_link_libraries(launch_stats_test PRIVATE stockade_test_main)
  stockade_add_test(NAME launch_stats_test COMMAND launch_stats_test)
endif()
