# Bash completion for stockade and stockadec: one file, installed under each
# command's name (bash-completion loads a command's file on first use).
set(completion ${PROJECT_SOURCE_DIR}/completions/stockade.bash)
install(FILES ${completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME stockade)
install(FILES ${completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME stockadec)
if(TARGET stockadec)
  stockade_add_test(NAME completion_bash
    COMMAND bash ${PROJECT_SOURCE_DIR}/completions/check_completion.sh ${completion}
            $<TARGET_FILE:Stockade::stockade> $<TARGET_FILE:stockadec>)
endif()
