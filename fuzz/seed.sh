#!/usr/bin/env bash
# Seed the cargo-fuzz corpora from the repository's fixtures (run from fuzz/).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/tei_reader corpus/inserter corpus/alignment_reader corpus/splitter
find ../tests/fixtures ../texts -name '*.xml' -exec cp -t corpus/tei_reader {} +
find ../tests/fixtures ../texts -name '*.xml' -exec cp -t corpus/inserter {} +
find ../alignments -name 'alignment.xml' | while read -r f; do
  cp "$f" "corpus/alignment_reader/$(echo "$f" | tr / _)"
done
find ../tests/fixtures/segment ../tests/fixtures/align -type f -exec cp -t corpus/splitter {} +
