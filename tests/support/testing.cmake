# SPDX-License-Identifier: Apache-2.0
# stockade_add_test(NAME name COMMAND ... [other add_test arguments]):
# add_test with the project's skip rule. A test that cannot run here exits
# 77 after printing `skipped: why` (tests/support/skip.h for C++,
# tests/support/skips.py for the Python suites), and ctest lists it as
# "Skipped" instead of "Passed"; under STOCKADE_CI=1 the same test fails.
# Every test registers through this function so that no suite can skip
# silently.
set(STOCKADE_SKIP_EXIT_CODE 77)
function(stockade_add_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME" "")
  # BUILD_TESTING off (a packager, or add_subdirectory() without
  # STOCKADE_BUILD_TESTS): no test is registered anywhere.
  if(NOT BUILD_TESTING)
    return()
  endif()
  add_test(NAME ${arg_NAME} ${arg_UNPARSED_ARGUMENTS})
  set_tests_properties(${arg_NAME} PROPERTIES SKIP_RETURN_CODE ${STOCKADE_SKIP_EXIT_CODE})
endfunction()
