#!/usr/bin/env bash
# The editing workflow at book scale: `bash benches/workflow_scale.sh [BIN...]`.
#
# Builds, in a temporary project, a work of three layers made from the gold books of
# ../shared/bench/data: Orwell's 1984 in Hungarian (hu, the original here), English (en ← hu,
# hu1984's target side) and Romanian (ro ← en, ro1984's source side), 6.5–6.7k sentences each,
# imported from plain text in paragraphs of eight lines (`tei-align import` with headers as
# docs/workflow.md shows). Then it times every command of the workflow with
# `/usr/bin/time -f "%e %U %S %M"` (wall, CPU: user + system, peak memory) and an editor's
# afternoon: 50 `link` commands confirming links spread over the hu-en edge; then "months later":
# every item of both edges confirmed (their TSV exports, every status set to `man`, imported back)
# and the commands again on that state. The table is in docs/workflow.md (The workflow at book scale).
#
# With several binaries (e.g. an old build and a new one) each step runs with each binary in
# turn on its own copy of the project, alternately, so a shared machine's load falls on both;
# the outputs of the two copies are compared byte for byte at the end (an optimisation must not
# change any output; every change by hand is given its time with `--when`, so both copies record
# the same, and `align` records the day only).
#
# Environment: TEI_ALIGN_WS_DATA (the gold sets; default ../shared/bench/data beside the
# repository), TEI_ALIGN_WS_REPEAT (the book repeated N times in each layer, for a larger work;
# default 1), TEI_ALIGN_WS_KEEP (a directory to keep the projects in instead of a temp dir),
# TEI_ALIGN_WS_LINKS (how many links in the afternoon; default 50).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
data=${TEI_ALIGN_WS_DATA:-$repo/../shared/bench/data}
repeat=${TEI_ALIGN_WS_REPEAT:-1}
nlinks=${TEI_ALIGN_WS_LINKS:-50}
if [ $# -eq 0 ]; then set -- "$repo/target/release/tei-align"; fi
bins=("$@")
for b in "${bins[@]}"; do [ -x "$b" ] || { echo "no binary $b" >&2; exit 3; }; done
schema=${TEI_ALIGN_SCHEMA:-$repo/../shared/schema/tei_all.rng}

if [ -n "${TEI_ALIGN_WS_KEEP:-}" ]; then
    root=$TEI_ALIGN_WS_KEEP; mkdir -p "$root"
else
    root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
fi
export TEI_ALIGN_EDITOR='jnovak:Jan Novák'

# Plain text in paragraphs of eight lines (the gold files hold one sentence a line).
paragraphs() {
    local f=$1 k
    for ((k = 0; k < repeat; k++)); do
        awk '{ print } NR % 8 == 0 { print "" }' "$f"
        echo
    done
}
mkdir -p "$root/src"
paragraphs "$data/hu1984/src/hu1984.txt" > "$root/src/hu.txt"
paragraphs "$data/hu1984/tgt/hu1984.txt" > "$root/src/en.txt"
paragraphs "$data/ro1984/src/ro1984.txt" > "$root/src/ro.txt"

# `step NAME CMD...`: runs CMD in each project with each binary in turn ($T is the binary,
# $P the project), appending "name<TAB>binary index<TAB>wall user peak" to the results.
results=$root/results.tsv
: > "$results"
step() {
    local name=$1; shift
    local i
    for i in "${!bins[@]}"; do
        local P=$root/p$i T=${bins[$i]}
        local tf=$root/time.$i
        ( cd "$P" && T=$T P=$P /usr/bin/time -o "$tf" -f "%e %U %S %M" bash -c "$*" ) \
            > "$root/out.$name.$i" 2> "$root/err.$name.$i" || {
            echo "step $name failed with binary $i (exit $?): $(tail -n 3 "$root/err.$name.$i")" >&2
            exit 1
        }
        printf '%s\t%s\t%s\n' "$name" "$i" "$(tail -n 1 "$tf")" >> "$results"
    done
}
for i in "${!bins[@]}"; do mkdir -p "$root/p$i/texts/book" "$root/p$i/alignments"; done

step import-hu '$T -q import '"$root"'/src/hu.txt --lang hu --id hu -o texts/book/hu.xml --title "1984 (Hungarian)" --when 2026-12-02'
step import-en '$T -q import '"$root"'/src/en.txt --lang en --id en -o texts/book/en.xml --source-layer hu --derivation translation --translator "unknown" --resp "enc:Bench Encoder:encoder" --when 2026-12-02'
step import-ro '$T -q import '"$root"'/src/ro.txt --lang ro --id ro -o texts/book/ro.xml --source-layer en --derivation translation --translator "unknown" --resp "enc2:Bench Encoder:encoder" --when 2026-12-02'
step align '$T -q align texts/book'
step align-again '$T -q align texts/book'
step status '$T -q status texts/book'
step coverage '$T -q coverage texts/book'
step trace '$T -q trace en.s3000 --work texts/book'
step check-no-jing '$T -q check --no-jing texts/book'
if command -v jing > /dev/null && [ -f "$schema" ]; then
    step check-jing '$T -q check --schema '"$schema"' texts/book'
fi
step edition '$T -q edition texts/book -o editions/book'
step export-tmx '$T -q export texts/book --format tmx -o book.tmx'
step export-tsv '$T -q export texts/book --format tsv --edge hu-en -o hu-en.tsv'
step export-cesalign '$T -q export texts/book --format cesalign --edge hu-en -o opus'
step import-alignment '$T -q import-alignment texts/book hu-en.tsv --format tsv --edge hu-en --when 2026-12-02T14:00:00Z'
# The afternoon: confirm $nlinks links spread over the hu-en edge, one command each.
step pick-links 'grep -o "xml:id=\"a\.hu-en\.[0-9]*\"" alignments/book/alignment.xml | sed "s/.*=\"//; s/\"//" | awk -v n='"$nlinks"' "{ a[NR] = \$0 } END { for (k = 1; k <= n; k++) print a[int(k * NR / (n + 1))] }" > links.txt'
step link-one '$T -q link texts/book $(head -n 1 links.txt) --when 2026-12-02T14:01:00Z'
step link-afternoon 'k=0; for l in $(tail -n +2 links.txt); do k=$((k + 1)); $T -q link texts/book $l --when 2026-12-02T15:$(printf %02d $k):00Z; done'
step unlink '$T -q unlink texts/book $(tail -n 1 links.txt) --when 2026-12-02T16:00:00Z'
step status-after '$T -q status texts/book'
# merge-alignment as git runs it: base = before the afternoon's last links, ours and theirs
# each with one more link of its own.
step merge-prepare 'grep -o "xml:id=\"a\.en-ro\.[0-9]*\"" alignments/book/alignment.xml | sed "s/.*=\"//; s/\"//" > enro.txt && cp alignments/book/alignment.xml base.xml && $T -q link texts/book $(sed -n 100p enro.txt) --when 2026-12-02T16:01:00Z && cp alignments/book/alignment.xml ours.xml && cp base.xml alignments/book/alignment.xml && $T -q link texts/book $(sed -n 4000p enro.txt) --when 2026-12-02T16:02:00Z && cp alignments/book/alignment.xml theirs.xml'
step merge-alignment '$T -q merge-alignment base.xml ours.xml theirs.xml alignments/book/alignment.xml'

# Months later: every link and unaligned sentence of both edges confirmed by a person (a TSV
# export with every status set to `man`, imported back), then the commands again on that state.
step export-en-ro '$T -q export texts/book --format tsv --edge en-ro -o en-ro.tsv'
step import-confirmed-hu-en 'awk -F"\t" "BEGIN { OFS = FS } NR > 1 { \$5 = \"man:jnovak:2026-12-01\" } { print }" hu-en.tsv > hu-en.man.tsv && $T -q import-alignment texts/book hu-en.man.tsv --format tsv --edge hu-en --when 2026-12-02T17:00:00Z'
step import-confirmed-en-ro 'awk -F"\t" "BEGIN { OFS = FS } NR > 1 { \$5 = \"man:jnovak:2026-12-01\" } { print }" en-ro.tsv > en-ro.man.tsv && $T -q import-alignment texts/book en-ro.man.tsv --format tsv --edge en-ro --when 2026-12-02T17:01:00Z'
step m-status '$T -q status texts/book'
step m-coverage '$T -q coverage texts/book'
step m-trace '$T -q trace en.s3000 --work texts/book'
step m-check-no-jing '$T -q check --no-jing texts/book'
step m-edition '$T -q edition texts/book -o editions/book-months'
step m-export-tmx '$T -q export texts/book --format tmx -o book-months.tmx'
step m-align '$T -q align texts/book'
step m-link '$T -q link texts/book $(sed -n 10p enro.txt) --when 2026-12-02T18:00:00Z'
step m-unlink-ten 'for k in 11 12 13 14 15 16 17 18 19 20; do $T -q unlink texts/book $(sed -n ${k}p links.txt) --when 2026-12-02T18:$k:00Z; done'
step m-merge-prepare 'cp alignments/book/alignment.xml base2.xml && $T -q unlink texts/book $(sed -n 30p links.txt) --when 2026-12-02T19:00:00Z && cp alignments/book/alignment.xml ours2.xml && cp base2.xml alignments/book/alignment.xml && $T -q unlink texts/book $(sed -n 40p links.txt) --when 2026-12-02T19:01:00Z && cp alignments/book/alignment.xml theirs2.xml'
step m-merge-alignment '$T -q merge-alignment base2.xml ours2.xml theirs2.xml alignments/book/alignment.xml'

# Summary: one row per step, "wall s / user s / peak MiB" per binary.
awk -F'\t' '
    { split($3, v, " "); key = $1; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
      cell[key, $2] = sprintf("%.2f / %.2f / %d", v[1], v[2] + v[3], v[4] / 1024); nb = ($2 + 1 > nb) ? $2 + 1 : nb }
    END { printf "| step |"; for (b = 0; b < nb; b++) printf " binary %d: wall s / CPU s / MiB |", b; print "";
          for (k = 1; k <= n; k++) { printf "| %s |", order[k]; for (b = 0; b < nb; b++) printf " %s |", cell[order[k], b]; print "" } }
' "$results"
echo "sentences: $(grep -o '<s xml:id' "$root/p0/texts/book/hu.xml" | wc -l) hu, $(grep -o '<s xml:id' "$root/p0/texts/book/en.xml" | wc -l) en, $(grep -o '<s xml:id' "$root/p0/texts/book/ro.xml" | wc -l) ro"

# The outputs of every binary, byte for byte against the first's.
if [ ${#bins[@]} -gt 1 ]; then
    for i in $(seq 1 $((${#bins[@]} - 1))); do
        # merge-alignment records the time it ran (it has no --when): a file that differs only
        # there is reported as such.
        diff -r -q "$root/p0" "$root/p$i" | sed -n 's/^Files \(.*\) and \(.*\) differ$/\1 \2/p' > "$root/diff.$i" || true
        same=$(diff -r -q "$root/p0" "$root/p$i" > /dev/null && echo yes || echo no)
        [ "$same" = yes ] && echo "binary $i: every output byte-identical to binary 0's"
        while read -r a b; do
            if cmp -s <(sed -E 's/when="[0-9-]+T[0-9:]+Z"/when="(time)"/' "$a") \
                      <(sed -E 's/when="[0-9-]+T[0-9:]+Z"/when="(time)"/' "$b"); then
                echo "binary $i: ${a#"$root"/p0/} differs only in the time a command ran"
            else
                echo "binary $i: ${a#"$root"/p0/} DIFFERS"
            fi
        done < "$root/diff.$i"
        diff -r -q "$root/p0" "$root/p$i" | grep -v '^Files ' || true
        for f in "$root"/out.*.0; do
            g=${f%.0}.$i
            cmp -s "$f" "$g" || echo "stdout differs: $(basename "${f%.0}")"
        done
    done
fi
