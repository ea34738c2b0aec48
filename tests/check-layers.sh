#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The layer check: every #include "..." of core/, programmer/ and app/ points at its own folder or at one
# the graph below lets it use (directly or through the folders those use). An include that points up
# (core into programmer or app, programmer into app, io into db, a GUI panel into window/) fails, naming
# the file, the line and what the folder may use. It also fails when a source folder has no row here,
# when the graph has a cycle, and when HACKING.md's table ("depends on") says otherwise than this graph.
set -uo pipefail
cd "$(dirname "$0")/.."

# folder: the folders it uses directly. "core" stands for every core/ folder. Keep HACKING.md's table
# in step (this check compares them).
graph='
core/util:
core/builtin:
core/model: core/util
core/sim: core/model
core/capi: core/sim
core/io/cpp: core/util
core/io: core/model core/io/cpp core/rules
core/io/cmsis: core/io core/image
core/db: core/io core/builtin
core/image: core/io
core/rules: core/model
core/design: core/rules
core/program: core/rules core/image core/boot
core/boot: core/rules core/image
programmer: core
app/cli: core programmer
app/gui/document: core
app/gui/commands: app/gui/document
app/gui/desktop: app/gui/document
app/gui/views: app/gui/document
app/gui/widgets: app/gui/commands
app/gui/dialogs: app/gui/views
app/gui/programming: app/gui/commands app/gui/desktop programmer
app/gui/window: app/gui/widgets app/gui/dialogs app/gui/programming
app/gui: app/gui/window
'

declare -A deps=()
units=()
while IFS=: read -r unit uses; do
    unit=${unit//[[:space:]]/}
    [ -n "$unit" ] || continue
    units+=("$unit")
    deps[$unit]=$(echo $uses)
done <<<"$graph"

# "core" as a dependency: every core/ unit.
expand() {
    local d
    for d in $1; do
        if [ "$d" = core ]; then
            printf '%s\n' "${units[@]}" | grep '^core/' | tr '\n' ' '
        else
            printf '%s ' "$d"
        fi
    done
}

# The closure of what a unit may include; a cycle in the graph is itself a failure.
declare -A closure=() visiting=()
failed=0
close() {
    local u=$1 d out=""
    [ -n "${closure[$u]+set}" ] && return 0
    if [ -n "${visiting[$u]+set}" ]; then
        echo "check-layers: the graph has a cycle through $u" >&2
        failed=1
        return 1
    fi
    visiting[$u]=1
    for d in $(expand "${deps[$u]}"); do
        [ -n "${deps[$d]+set}" ] || { echo "check-layers: $u uses $d, which is not in the graph" >&2; failed=1; continue; }
        close "$d" || return 1
        out+=" $d ${closure[$d]}"
    done
    unset "visiting[$u]"
    closure[$u]=$(echo $out | tr ' ' '\n' | sort -u | tr '\n' ' ')
}
for u in "${units[@]}"; do close "$u"; done

# The unit a path belongs to, in REPLY: the longest folder of the graph that holds it. (Results go
# through REPLY rather than $(...): a subshell per include makes the check slow on a loaded machine.)
unitOf() {
    local u
    REPLY=""
    for u in "${units[@]}"; do
        case "$1" in
        "$u"/*) [ ${#u} -gt ${#REPLY} ] && REPLY=$u ;;
        esac
    done
}

# Where the compiler looks for "X" after the including file's folder (the targets' include folders), in
# REPLY. The other roots are tried after these, so that an include the target could not even compile
# (say core reaching into app/gui) is still named for what it is.
rootsOf() {
    case "$1" in
    core/*) REPLY=core ;;
    programmer) REPLY="programmer core" ;;
    app/cli) REPLY="app programmer core" ;;
    app/gui*) REPLY="app/gui programmer core" ;;
    esac
}

# a/b/../c -> a/c, in REPLY.
normalize() {
    local -a parts=() out=()
    local p
    IFS=/ read -ra parts <<<"$1"
    for p in "${parts[@]}"; do
        case "$p" in
        "" | .) ;;
        ..) [ ${#out[@]} -gt 0 ] && unset 'out[${#out[@]}-1]' ;;
        *) out+=("$p") ;;
        esac
    done
    local IFS=/
    REPLY="${out[*]}"
}

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files --cached --others --exclude-standard core programmer app | grep -E '\.(c|cpp|h)$')
else
    mapfile -t files < <(find core programmer app -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.h' \) | sort)
fi
existing=()
for f in "${files[@]}"; do
    [ -f "$f" ] && existing+=("$f") # a file deleted but not yet staged is no longer source
done
files=("${existing[@]}")

violations=0
declare -A fileUnit=()
for f in "${files[@]}"; do
    unitOf "$f"
    fileUnit[$f]=$REPLY
    if [ -z "$REPLY" ]; then
        echo "$f: its folder is in no layer of tests/check-layers.sh (add it there and to HACKING.md)"
        violations=$((violations + 1))
    fi
done

# One grep over every file: "file:line:#include "name"".
while IFS= read -r hit; do
    f=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    name=${rest#*\"}
    name=${name%%\"*}
    from=${fileUnit[$f]}
    [ -n "$from" ] || continue
    rootsOf "$from"
    target=""
    for root in "${f%/*}" $REPLY core programmer app/gui app; do
        normalize "$root/$name"
        if [ -f "$REPLY" ]; then
            target=$REPLY
            break
        fi
    done
    [ -n "$target" ] || continue # generated (moc, embedded files) or a system header in quotes
    unitOf "$target"
    to=$REPLY
    [ -n "$to" ] && [ "$to" != "$from" ] || continue
    case " ${closure[$from]} " in
    *" $to "*) continue ;;
    esac
    echo "$f:$line: $from includes $name, which is in $to; $from may use ${deps[$from]:-no other folder}" \
        "${deps[$from]:+and what those use}"
    violations=$((violations + 1))
done < <(grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "${files[@]}")

# HACKING.md's table: one row per folder, whose "depends on" names the same folders as the graph (by
# their last word: util, io, commands, programmer; other words, such as Qt modules, are not checked).
short() {
    local d
    for d in $1; do printf '%s\n' "${d##*/}"; done | sort -u | tr '\n' ' '
}
shortNames=" $(for u in "${units[@]}"; do printf '%s ' "${u##*/}"; done)core "
for u in "${units[@]}"; do
    row=$(grep -E "^\| \`$u\` \|" HACKING.md)
    if [ -z "$row" ]; then
        echo "HACKING.md: no row for \`$u\` in the table of folders"
        violations=$((violations + 1))
        continue
    fi
    cell=$(printf '%s' "$row" | awk -F'|' '{print $4}')
    said=""
    for w in $(printf '%s' "$cell" | tr -c 'A-Za-z0-9_\n' ' '); do
        case "$shortNames" in *" $w "*) said+=" $w" ;; esac
    done
    said=$(short "$said")
    want=$(short "${deps[$u]}")
    if [ "$said" != "$want" ]; then
        echo "HACKING.md: \`$u\` depends on '${said% }' in the table, '${want% }' in tests/check-layers.sh"
        violations=$((violations + 1))
    fi
done
while IFS= read -r row; do
    folder=$(printf '%s' "$row" | sed -E 's/^\| `([^`]*)`.*/\1/')
    if [ -z "${deps[$folder]+set}" ]; then
        echo "HACKING.md: the row \`$folder\` names no folder of tests/check-layers.sh"
        violations=$((violations + 1))
    fi
done < <(grep -E '^\| `(core|programmer|app)[^`]*` \|' HACKING.md)

if [ "$violations" -gt 0 ] || [ "$failed" -ne 0 ]; then
    echo "check-layers: $violations problem(s); the allowed graph is at the top of tests/check-layers.sh"
    exit 1
fi
echo "check-layers: ${#files[@]} files, ${#units[@]} folders, every include points down the graph"
