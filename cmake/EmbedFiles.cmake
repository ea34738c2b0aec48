# SPDX-License-Identifier: Apache-2.0
# flashplan_embed(OUTPUT <file.cpp> FUNCTION <name> BASE <dir> FILES <files...>)
# Generates, at build time, a C++ source whose function `flashplan::builtin::<name>()` returns the files'
# bytes, so the device database and example layouts travel inside the binaries and no install path is
# needed to find them. The files are dependencies: editing one rebuilds the table.
set(FLASHPLAN_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedScript.cmake)

function(flashplan_embed)
    cmake_parse_arguments(E "" "OUTPUT;FUNCTION;BASE" "FILES" ${ARGN})
    list(JOIN E_FILES "|" joined)
    add_custom_command(
        OUTPUT ${E_OUTPUT}
        COMMAND ${CMAKE_COMMAND} -DOUT=${E_OUTPUT} -DFUNC=${E_FUNCTION} -DBASE=${E_BASE} -DFILES=${joined}
                -P ${FLASHPLAN_EMBED_SCRIPT}
        DEPENDS ${E_FILES} ${FLASHPLAN_EMBED_SCRIPT}
        COMMENT "Embedding ${E_FUNCTION}"
        VERBATIM)
endfunction()
