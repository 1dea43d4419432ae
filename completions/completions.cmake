# SPDX-License-Identifier: Apache-2.0
# Bash completion for stockade and stockadec: one file, installed under each
# command's name (bash-completion loads a command's file on first use).
set(completion ${PROJECT_SOURCE_DIR}/completions/stockade.bash)
install(FILES ${completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME stockade)
install(FILES ${completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME stockadec)
# zsh completion: one `#compdef stockade stockadec` file, in the directory
# Debian's zsh puts on every user's fpath.
set(zsh_completion ${PROJECT_SOURCE_DIR}/completions/_stockade)
install(FILES ${zsh_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
if(TARGET stockadec)
  stockade_add_test(NAME completion_bash
    COMMAND bash ${PROJECT_SOURCE_DIR}/completions/check_completion.sh ${completion}
            $<TARGET_FILE:Stockade::stockade> $<TARGET_FILE:stockadec>)
endif()
if(TARGET stockadec)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    stockade_add_test(NAME completion_zsh
      COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/completions/check_zsh.py ${zsh_completion}
              $<TARGET_FILE:Stockade::stockade> $<TARGET_FILE:stockadec> ${PROJECT_SOURCE_DIR})
  endif()
endif()
