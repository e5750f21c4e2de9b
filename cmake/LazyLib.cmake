# Libraries that openwfp dlopen()s on first use instead of linking
# (src/util/lazylib.h): the build takes only their headers, plus the SONAME
# to ask for, read from the library pkg-config found so that the run-time
# load gets the ABI the headers describe.
#
# owfp_lazy_library(TARGET PREFIX FALLBACK DEFINE) makes the INTERFACE target
# TARGET carrying PREFIX's (a pkg_check_modules prefix) include directories
# and compile flags, and DEFINE="SONAME" (FALLBACK if it cannot be read).
# Linking TARGET adds nothing to the link line.
function(owfp_lazy_library target prefix fallback define)
  set(soname "")
  set(lib "")
  if(${prefix}_LINK_LIBRARIES)
    list(GET ${prefix}_LINK_LIBRARIES 0 lib)
  endif()
  if(lib AND EXISTS "${lib}")
    foreach(tool IN ITEMS "${CMAKE_OBJDUMP};-p" "${CMAKE_READELF};-d")
      list(GET tool 0 exe)
      if(NOT soname AND exe)
        execute_process(COMMAND ${tool} ${lib} OUTPUT_VARIABLE dump ERROR_QUIET
                        RESULT_VARIABLE rc)
        # objdump -p: "  SONAME  libhs.so.5"; readelf -d: "Library soname: [libhs.so.5]"
        if(rc EQUAL 0 AND dump MATCHES "SONAME +([^ \t\r\n]+)")
          set(soname "${CMAKE_MATCH_1}")
        elseif(rc EQUAL 0 AND dump MATCHES "Library soname: \\[([^]]+)\\]")
          set(soname "${CMAKE_MATCH_1}")
        endif()
      endif()
    endforeach()
  endif()
  if(NOT soname)
    set(soname "${fallback}")
    message(STATUS "${prefix}: no SONAME read from '${lib}'; will dlopen ${soname}")
  else()
    message(STATUS "${prefix}: loaded on first use as ${soname}")
  endif()
  set(${define} "${soname}" PARENT_SCOPE)
  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE ${${prefix}_INCLUDE_DIRS})
  target_compile_options(${target} INTERFACE ${${prefix}_CFLAGS_OTHER})
  target_compile_definitions(${target} INTERFACE ${define}="${soname}")
endfunction()
