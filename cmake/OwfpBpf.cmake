# The sockmap offload's BPF program (bpf/owfp_sockmap.bpf.c), compiled with
# clang -target bpf and embedded in the proxy as a libbpf skeleton (bpftool
# gen skeleton): nothing to find at run time. Without clang, bpftool or
# libbpf-dev the proxy is built without it and offloads with splice, and
# says so at start-up (scripts/install-deps.sh installs all three).
find_program(OWFP_BPF_CLANG NAMES clang clang-16 clang-15 clang-14)
find_program(OWFP_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin)
pkg_check_modules(LIBBPF IMPORTED_TARGET libbpf)

function(owfp_bpf_sockmap target)
  if(NOT OWFP_BPF_CLANG OR NOT OWFP_BPFTOOL OR NOT LIBBPF_FOUND)
    message(STATUS "sockmap offload: off (clang '${OWFP_BPF_CLANG}', bpftool '${OWFP_BPFTOOL}', libbpf ${LIBBPF_FOUND})")
    return()
  endif()
  set(src ${CMAKE_SOURCE_DIR}/bpf/owfp_sockmap.bpf.c)
  set(dir ${CMAKE_BINARY_DIR}/bpf)
  set(multiarch_inc)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    set(multiarch_inc -I/usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  add_custom_command(OUTPUT ${dir}/owfp_sockmap.bpf.o
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${OWFP_BPF_CLANG} -O2 -g -Wall -Werror -target bpf -I${CMAKE_SOURCE_DIR}/src
            ${multiarch_inc} -c ${src} -o ${dir}/owfp_sockmap.bpf.o
    DEPENDS ${src} ${CMAKE_SOURCE_DIR}/src/proxy/sockmap_abi.h VERBATIM)
  add_custom_command(OUTPUT ${dir}/owfp_sockmap.skel.h
    COMMAND sh -c "${OWFP_BPFTOOL} gen skeleton ${dir}/owfp_sockmap.bpf.o name owfp_sockmap_bpf > ${dir}/owfp_sockmap.skel.h.tmp && mv ${dir}/owfp_sockmap.skel.h.tmp ${dir}/owfp_sockmap.skel.h"
    DEPENDS ${dir}/owfp_sockmap.bpf.o VERBATIM)
  add_custom_target(owfp_bpf_sockmap DEPENDS ${dir}/owfp_sockmap.skel.h)
  add_dependencies(${target} owfp_bpf_sockmap)
  target_include_directories(${target} PRIVATE ${dir})
  target_compile_definitions(${target} PRIVATE OWFP_HAVE_SOCKMAP=1)
  target_link_libraries(${target} PUBLIC PkgConfig::LIBBPF)
  message(STATUS "sockmap offload: on (${OWFP_BPF_CLANG}, ${OWFP_BPFTOOL})")
endfunction()
