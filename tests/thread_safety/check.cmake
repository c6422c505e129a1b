# Clang's thread-safety analysis of one source file, with the flags the build compiles it with
# (from compile_commands.json): fails on any access to a GUARDED_BY member without its mutex, a
# REQUIRES function called without it, an EXCLUDES one with it (core/thread_annotations.h).
#   cmake -DCLANG=clang++-14 -DCOMPILE_COMMANDS=build/compile_commands.json -DSOURCE=file.cc
#         [-DFLAGS_OF=other.cc] [-DVERIFY=ON] -P check.cmake
# FLAGS_OF: take the flags of that file (SOURCE is in no target). VERIFY: clang -verify, the
# refusals SOURCE expects in its comments must be exactly the ones made.
if(NOT CLANG)
  message(FATAL_ERROR "clang++-14 was not found when the build was configured; scripts/install-deps "
                      "installs it (then configure again)")
endif()
if(NOT FLAGS_OF)
  set(FLAGS_OF "${SOURCE}")
endif()

file(READ "${COMPILE_COMMANDS}" commands)
string(JSON count LENGTH "${commands}")
math(EXPR last "${count} - 1")
set(command "")
foreach(i RANGE ${last})
  string(JSON file GET "${commands}" ${i} file)
  if(file STREQUAL FLAGS_OF)
    string(JSON command GET "${commands}" ${i} command)
    string(JSON directory GET "${commands}" ${i} directory)
    break()
  endif()
endforeach()
if(command STREQUAL "")
  message(FATAL_ERROR "${FLAGS_OF} is not in ${COMPILE_COMMANDS}: configure the build again")
endif()

# The build's command without its compiler, output, input and warning options (GCC's -W set is
# not the point here and clang words some of them otherwise).
separate_arguments(words UNIX_COMMAND "${command}")
list(POP_FRONT words)
set(args "")
set(skip_next FALSE)
foreach(word IN LISTS words)
  if(skip_next)
    set(skip_next FALSE)
  elseif(word STREQUAL "-o")
    set(skip_next TRUE)
  elseif(NOT (word STREQUAL "-c" OR word STREQUAL FLAGS_OF OR word MATCHES "^-W"))
    list(APPEND args "${word}")
  endif()
endforeach()
if(VERIFY)
  list(APPEND args -Xclang -verify)
endif()

execute_process(
  COMMAND "${CLANG}" ${args} -fsyntax-only -Wthread-safety -Werror=thread-safety "${SOURCE}"
  WORKING_DIRECTORY "${directory}"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "thread-safety analysis of ${SOURCE} failed (${status})")
endif()
