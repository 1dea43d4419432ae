# SPDX-License-Identifier: Apache-2.0
# Man pages from scdoc sources: stockade(1) and stockadec(1) written here,
# stockade.policy(5) made from docs/language.md (md_to_scdoc.py), so the
# language reference has one source. Built into man/ of the build tree,
# gzipped as Debian installs them; checked by ctest man_pages.
find_program(STOCKADE_SCDOC scdoc)
find_program(STOCKADE_GZIP gzip)
find_package(Python3 COMPONENTS Interpreter)
if(NOT STOCKADE_SCDOC OR NOT STOCKADE_GZIP OR NOT Python3_Interpreter_FOUND)
  message(STATUS "man pages: scdoc, gzip or python3 missing (apt-get install scdoc); not built")
  return()
endif()

set(man_src ${PROJECT_SOURCE_DIR}/docs/man)
set(man_out ${PROJECT_BINARY_DIR}/man)
add_custom_command(
  OUTPUT ${man_out}/stockade.policy.5.scd
  COMMAND ${CMAKE_COMMAND} -E make_directory ${man_out}
  COMMAND ${Python3_EXECUTABLE} ${man_src}/md_to_scdoc.py ${PROJECT_SOURCE_DIR}/docs/language.md
          ${man_out}/stockade.policy.5.scd
  DEPENDS ${man_src}/md_to_scdoc.py ${PROJECT_SOURCE_DIR}/docs/language.md
  COMMENT "stockade.policy(5) from docs/language.md")
set(pages)
foreach(page stockade.1 stockadec.1 stockade.policy.5)
  if(page STREQUAL "stockade.policy.5")
    set(scd ${man_out}/stockade.policy.5.scd)
  else()
    set(scd ${man_src}/${page}.scd)
  endif()
  # scdoc reads stdin and writes stdout; `-n` keeps gzip's output the same
  # from build to build (no name, no timestamp).
  add_custom_command(
    OUTPUT ${man_out}/${page} ${man_out}/${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${man_out}
    COMMAND sh -c "'${STOCKADE_SCDOC}' < '${scd}' > '${man_out}/${page}'"
    COMMAND sh -c "'${STOCKADE_GZIP}' -9n < '${man_out}/${page}' > '${man_out}/${page}.gz'"
    DEPENDS ${scd}
    COMMENT "scdoc: ${page}"
    VERBATIM)
  list(APPEND pages ${man_out}/${page}.gz)
  string(REGEX MATCH "[0-9]$" section ${page})
  install(FILES ${man_out}/${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(man ALL DEPENDS ${pages})

if(TARGET stockadec)
  stockade_add_test(NAME man_pages
    COMMAND ${Python3_EXECUTABLE} ${man_src}/check_pages.py ${man_out} ${PROJECT_SOURCE_DIR}
            $<TARGET_FILE:stockadec> $<TARGET_FILE:Stockade::stockade>)
endif()
