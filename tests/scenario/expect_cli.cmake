# Runs COMMAND with ARGS (a ;-list) and checks its exit code (EXIT) and that
# stdout + stderr match the regular expression EXPECT. INPUT, if given, is a
# file piped to its standard input.
if(INPUT)
  execute_process(COMMAND ${COMMAND} ${ARGS} INPUT_FILE ${INPUT}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
else()
  execute_process(COMMAND ${COMMAND} ${ARGS}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
endif()
set(all "${out}${err}")
string(REPLACE "\n" " " flat "${all}")
if(NOT code EQUAL EXIT)
  message(FATAL_ERROR "exit code ${code}, expected ${EXIT}\n--- output ---\n${all}")
endif()
if(NOT flat MATCHES "${EXPECT}")
  message(FATAL_ERROR "output does not match: ${EXPECT}\n--- output ---\n${all}")
endif()
