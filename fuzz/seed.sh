#!/usr/bin/env bash
# Seed the cargo-fuzz corpora from the repository's fixtures (run from fuzz/). Files are named
# by their path, so that fixtures with the same name (en.xml, cs.xml …) do not overwrite each
# other; the inserter gets the layers with their <s> tags removed, as `import` sees them.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/tei_reader corpus/inserter corpus/alignment_reader corpus/splitter
name() { echo "$1" | sed 's#^\.\./##; s#/#_#g'; }
find ../tests/fixtures ../texts -name '*.xml' -size -64k | while read -r f; do
  cp "$f" "corpus/tei_reader/$(name "$f")"
  sed -E 's#</?s( [^>]*)?>##g' "$f" > "corpus/inserter/$(name "$f")"
done
find ../alignments -name 'alignment.xml' | while read -r f; do
  cp "$f" "corpus/alignment_reader/$(name "$f")"
done
find ../tests/fixtures/segment ../tests/fixtures/align -type f -size -64k | while read -r f; do
  cp "$f" "corpus/splitter/$(name "$f")"
done
