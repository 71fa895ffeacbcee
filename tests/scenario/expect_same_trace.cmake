# Two runs with the same seed write identical JSON Lines; another seed does not.
foreach(run a b)
  execute_process(COMMAND ${COMMAND} ping 10.0.1.2 --count 5 --loss 0.2 --seed 42 --quiet
                          --trace ${WORK}/trace-${run}.jsonl RESULT_VARIABLE code OUTPUT_QUIET)
  if(code GREATER 1)
    message(FATAL_ERROR "run ${run} failed with exit code ${code}")
  endif()
endforeach()
execute_process(COMMAND ${COMMAND} ping 10.0.1.2 --count 5 --loss 0.2 --seed 43 --quiet
                        --trace ${WORK}/trace-c.jsonl OUTPUT_QUIET)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/trace-a.jsonl ${WORK}/trace-b.jsonl
  RESULT_VARIABLE same)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/trace-a.jsonl ${WORK}/trace-c.jsonl
  RESULT_VARIABLE different)
file(SIZE ${WORK}/trace-a.jsonl size)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "same seed, different traces")
endif()
if(different EQUAL 0)
  message(FATAL_ERROR "different seeds gave the same trace: the seed is not reaching the run")
endif()
if(size LESS 1000)
  message(FATAL_ERROR "trace suspiciously small (${size} bytes)")
endif()
