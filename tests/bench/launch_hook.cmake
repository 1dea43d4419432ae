# For launch.sh only, passed as CMAKE_PROJECT_INCLUDE: adds tests/bench to
# the build when tests/CMakeLists.txt does not (yet) add it itself. The call
# is deferred to the end of the top-level CMakeLists, when the warning flags,
# stockadec and stockade_add_launcher all exist.
function(stockade_launch_bench_hook)
  # CMake allows no add_subdirectory here, so launch.cmake is included at
  # the top level; it names its directories explicitly for that reason.
  if(NOT TARGET stockade-launch-bench AND TARGET stockadec)
    include(${CMAKE_SOURCE_DIR}/tests/bench/launch.cmake)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL stockade_launch_bench_hook)
