# The interleave CLI's exit codes, end to end: 0 held, 1 an expectation
# failed, 2 bad input, 3 a replay that does not reproduce its trace.
# Invoked by ctest with -DCLI=<interleave> -DSOURCE=<repo> -DWORK=<scratch dir>.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(expect_exit code)
  execute_process(COMMAND "${CLI}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  WORKING_DIRECTORY "${WORK}")
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "interleave ${ARGN}: expected exit ${code}, got ${rc}\n${out}\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  set(last_err "${err}" PARENT_SCOPE)
endfunction()

file(COPY "${SOURCE}/scenarios/01_writer_reader.toml" DESTINATION "${WORK}/scenarios")
expect_exit(0 run scenarios/01_writer_reader.toml --save-traces traces)
expect_exit(0 replay traces/01_writer_reader.fatal.trace --check)
if(NOT last_out MATCHES "trace reproduced byte for byte")
  message(FATAL_ERROR "replay did not confirm the bytes:\n${last_out}")
endif()
expect_exit(0 show traces/01_writer_reader.fatal.trace)
expect_exit(0 points scenarios/01_writer_reader.toml)
if(NOT last_out MATCHES "mapassign.set-writing.store")
  message(FATAL_ERROR "points did not list the flag store:\n${last_out}")
endif()

# An expectation that does not hold: exit 1.
file(READ "${WORK}/scenarios/01_writer_reader.toml" text)
string(REPLACE "reach = [\"fatal: concurrent map read and map write\", \"ok\"]" "reach = [\"deadlock\"]" wrong "${text}")
file(WRITE "${WORK}/wrong/01_wrong.toml" "${wrong}")
expect_exit(1 run wrong/01_wrong.toml)

# Bad input: exit 2.
expect_exit(2 run no/such/file.toml)
string(REPLACE "kind = \"go\"" "kind = \"hashmap\"" bad "${text}")
file(WRITE "${WORK}/bad/01_bad.toml" "${bad}")
expect_exit(2 run bad/01_bad.toml)
if(NOT last_err MATCHES "01_bad.toml:5:8: unknown map kind 'hashmap'")
  message(FATAL_ERROR "no located error for a bad scenario: ${last_err}")
endif()
expect_exit(2 run --strategy nope scenarios)
file(WRITE "${WORK}/broken.trace" "interleave-trace 1\nprogram \"x\"\n")
expect_exit(2 replay broken.trace)

# A trace is keyed to its scenario's meaning, not its bytes: a comment does
# not change it, the replay is byte for byte.
file(APPEND "${WORK}/scenarios/01_writer_reader.toml" "# an edit\n")
expect_exit(0 replay traces/01_writer_reader.fatal.trace --check)
if(NOT last_out MATCHES "trace reproduced byte for byte" OR last_out MATCHES "changed since")
  message(FATAL_ERROR "a comment changed the trace's scenario:\n${last_out}")
endif()
# A change of meaning: exit 3, with the step where the replay diverges.
file(READ "${WORK}/scenarios/01_writer_reader.toml" text)
string(REPLACE "for i in 0..2: get i" "for i in 0..2: len" changed "${text}")
file(WRITE "${WORK}/scenarios/01_writer_reader.toml" "${changed}")
expect_exit(3 replay traces/01_writer_reader.fatal.trace --check)
if(NOT last_out MATCHES "note: the meaning of scenarios/01_writer_reader.toml changed since this trace was recorded"
   OR NOT last_out MATCHES "diverged from trace at step [0-9]+: expected goroutine")
  message(FATAL_ERROR "a changed scenario was not reported at its step:\n${last_out}\n${last_err}")
endif()

# replay --check says "byte for byte" only when the file's own bytes are the
# ones the replay writes: spellings the reader accepts but the writer never
# produces are a mismatch (exit 3).
file(REMOVE_RECURSE "${WORK}/scenarios" "${WORK}/traces")
file(COPY "${SOURCE}/scenarios/01_writer_reader.toml" DESTINATION "${WORK}/scenarios")
expect_exit(0 run scenarios/01_writer_reader.toml --save-traces traces)
file(READ "${WORK}/traces/01_writer_reader.fatal.trace" trace)
string(REGEX REPLACE "\n$" "" no_newline "${trace}")
string(REPLACE "schedule step=0 fiber=0 " "schedule step=0 fiber=00 " zero_padded "${trace}")
string(REPLACE "schedule step=1 " "schedule  step=1 " double_space "${trace}")
foreach(variant no_newline zero_padded double_space)
  if("${${variant}}" STREQUAL "${trace}")
    message(FATAL_ERROR "the ${variant} variant did not change the trace")
  endif()
  file(WRITE "${WORK}/traces/${variant}.trace" "${${variant}}")
  expect_exit(3 replay traces/${variant}.trace --check)
  if(NOT last_out MATCHES "trace NOT reproduced byte for byte")
    message(FATAL_ERROR "replay --check of the ${variant} variant claimed the same bytes:\n${last_out}")
  endif()
endforeach()
expect_exit(0 replay traces/01_writer_reader.fatal.trace --check)

# Two scenarios with the same file name in different folders save different
# trace files (named by the folders that tell them apart), each of which
# replays its own scenario; a lone scenario keeps its plain name.
file(REMOVE_RECURSE "${WORK}/same" "${WORK}/traces")
file(COPY "${SOURCE}/scenarios/01_writer_reader.toml" DESTINATION "${WORK}/same/one")
file(RENAME "${WORK}/same/one/01_writer_reader.toml" "${WORK}/same/one/race.toml")
file(COPY "${SOURCE}/scenarios/02_two_writers.toml" DESTINATION "${WORK}/same/two")
file(RENAME "${WORK}/same/two/02_two_writers.toml" "${WORK}/same/two/race.toml")
expect_exit(0 run same/one same/two --save-traces traces)
foreach(trace one/race.fatal.trace two/race.fatal.trace two/race.corruption.trace)
  if(NOT EXISTS "${WORK}/traces/${trace}")
    message(FATAL_ERROR "no trace ${trace} saved for scenarios that share a file name:\n${last_out}")
  endif()
  expect_exit(0 replay traces/${trace} --check)
endforeach()
file(READ "${WORK}/traces/one/race.fatal.trace" one)
file(READ "${WORK}/traces/two/race.fatal.trace" two)
if(one STREQUAL two OR NOT one MATCHES "same/one/race.toml" OR NOT two MATCHES "same/two/race.toml")
  message(FATAL_ERROR "the traces of same/one/race.toml and same/two/race.toml are not their own")
endif()
file(REMOVE_RECURSE "${WORK}/traces")
expect_exit(0 run same/one --save-traces traces)
if(NOT EXISTS "${WORK}/traces/race.fatal.trace")
  message(FATAL_ERROR "a scenario whose name is unique did not keep its plain trace name")
endif()
