# netstep_warnings(target): the warning set every netstep target builds with.
function(netstep_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
  if(NETSTEP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  # GCC 12 reports impossible overlaps inside std::string concatenation at
  # -O3 (GCC bug 105329, fixed in GCC 13): silence that one false positive.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
endfunction()

# netstep_core_layer(name SOURCES ... DEPENDS ...): one core layer, one target.
# Core layers depend on the standard library and on each other, nothing else.
function(netstep_core_layer name)
  cmake_parse_arguments(LAYER "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(netstep-${name} STATIC ${LAYER_SOURCES})
  add_library(netstep::${name} ALIAS netstep-${name})
  target_include_directories(netstep-${name} PUBLIC ${PROJECT_SOURCE_DIR}/core)
  target_link_libraries(netstep-${name} PUBLIC ${LAYER_DEPENDS})
  netstep_warnings(netstep-${name})
endfunction()
