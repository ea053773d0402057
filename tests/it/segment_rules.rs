//! The splitter's rule families, each with real sentences in Czech, Russian and English: the
//! letter of August 1968 (tests/fixtures/segment/, from ../shared/texts/letter-1968/), the
//! Universal Declaration of Human Rights, and press-style sentences with the abbreviations the
//! issue names. Expected splits were written by hand from the texts, not copied from the output.

use proptest::prelude::*;
use tei_align::segment::{sentences, split, split_paragraphs};

/// Assert that `text` splits into exactly `expected` for `lang`.
fn check(lang: &str, text: &str, expected: &[&str]) {
    let got = sentences(text, lang);
    assert_eq!(got, expected, "lang {lang}, text {text:?}");
}

fn fixture(name: &str) -> String {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segment/");
    std::fs::read_to_string(format!("{p}{name}")).unwrap()
}

// --- Plain sentence ends: . ? ! and "?!" -------------------------------------------------------

#[test]
fn plain_ends_cs_letter() {
    let text = fixture("letter-cs.txt");
    let got = sentences(&text, "cs");
    assert_eq!(got.len(), 7, "{got:#?}");
    assert_eq!(got[0], "Vážený Leonide Iljiči,");
    assert!(got[1].starts_with("s vědomím plné") && got[1].ends_with("prohlášením."));
    assert!(got[4].starts_with("Rozněcují vlnu") && got[4].ends_with("psychózu."));
    assert_eq!(
        got[5],
        "Proto budeme ze všech sil bojovat vlastními prostředky."
    );
}

#[test]
fn plain_ends_en_letter() {
    let text = fixture("letter-en.txt");
    let got = sentences(&text, "en");
    // Salutation, 1 + 3 + 4 sentences in the three paragraphs that follow.
    assert_eq!(got.len(), 9, "{got:#?}");
    assert_eq!(
        got[1],
        "Conscious of the full responsibility for our decision, we appeal to you with the following statement."
    );
    // "Party's" holds an apostrophe, not a closing quote.
    assert!(got[2].ends_with("the control of the Party's Central Committee."));
    assert_eq!(
        got[8],
        "The very existence of socialism in our country is under threat."
    );
}

#[test]
fn plain_ends_udhr_ru_en() {
    check(
        "ru",
        "Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью и должны поступать в отношении друг друга в духе братства.",
        &[
            "Все люди рождаются свободными и равными в своем достоинстве и правах.",
            "Они наделены разумом и совестью и должны поступать в отношении друг друга в духе братства.",
        ],
    );
    check(
        "en",
        "All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.",
        &[
            "All human beings are born free and equal in dignity and rights.",
            "They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.",
        ],
    );
}

#[test]
fn question_and_exclamation_marks() {
    check(
        "cs",
        "Kdo dopis napsal? Pět členů vedení strany! Proč až v roce 1992?! Protože byl v archivu.",
        &[
            "Kdo dopis napsal?",
            "Pět členů vedení strany!",
            "Proč až v roce 1992?!",
            "Protože byl v archivu.",
        ],
    );
    check(
        "ru",
        "Кто написал письмо? Пятеро членов руководства!! Почему?! Письмо хранилось в архиве.",
        &[
            "Кто написал письмо?",
            "Пятеро членов руководства!!",
            "Почему?!",
            "Письмо хранилось в архиве.",
        ],
    );
    check(
        "en",
        "Who wrote the letter? Five party leaders! Why so late?! It was in the archive.",
        &[
            "Who wrote the letter?",
            "Five party leaders!",
            "Why so late?!",
            "It was in the archive.",
        ],
    );
}

// --- Abbreviations -----------------------------------------------------------------------------

#[test]
fn abbreviations_cs() {
    check(
        "cs",
        "Dopis podepsalo pět funkcionářů, tj. Indra, Kolder, Kapek, Švestka a Biľak. Text otiskly např. Hospodářské noviny v č. 137. Pracovali v ÚV KSČ, resp. v jeho předsednictvu atd. Dopis se našel až v roce 1992.",
        &[
            "Dopis podepsalo pět funkcionářů, tj. Indra, Kolder, Kapek, Švestka a Biľak.",
            "Text otiskly např. Hospodářské noviny v č. 137.",
            "Pracovali v ÚV KSČ, resp. v jeho předsednictvu atd.",
            "Dopis se našel až v roce 1992.",
        ],
    );
    // An abbreviation that may end a sentence: "př. n. l." before a capital ends it, before a
    // lower-case word it does not.
    check(
        "cs",
        "Město bylo osídleno do roku 700 př. n. l. Prostřední prostor sloužil jako chrám. Roku 49 př. n. l. přešel Caesar Rubikon.",
        &[
            "Město bylo osídleno do roku 700 př. n. l.",
            "Prostřední prostor sloužil jako chrám.",
            "Roku 49 př. n. l. přešel Caesar Rubikon.",
        ],
    );
    // A count abbreviation before a currency is inside the sentence; before another capital
    // word it still ends it.
    check(
        "cs",
        "Škody dosáhly 3,5 mil. Kč a půjčka 2 mld. USD. Rozpočet měl 40 mil. Vláda ho schválila.",
        &[
            "Škody dosáhly 3,5 mil. Kč a půjčka 2 mld. USD.",
            "Rozpočet měl 40 mil.",
            "Vláda ho schválila.",
        ],
    );
}

#[test]
fn abbreviations_ru() {
    check(
        "ru",
        "Письмо было передано в Братиславе, т. е. до вторжения. Его нашли в 1992 г. В архиве Политбюро хранились и другие документы, т.е. переписка. Он родился в г. Москве и т. д. Это известно.",
        &[
            "Письмо было передано в Братиславе, т. е. до вторжения.",
            "Его нашли в 1992 г.",
            "В архиве Политбюро хранились и другие документы, т.е. переписка.",
            "Он родился в г. Москве и т. д.",
            "Это известно.",
        ],
    );
    check(
        "ru",
        "Олимпийские игры проводились до 393 г. н. э. Последние игры были проведены при Феодосии.",
        &[
            "Олимпийские игры проводились до 393 г. н. э.",
            "Последние игры были проведены при Феодосии.",
        ],
    );
}

#[test]
fn abbreviations_en() {
    check(
        "en",
        "The letter was handed to Mr. Brezhnev in Bratislava. Several witnesses, e.g. the Czech press, printed it. Dr. Kramer translated it for the Cold War International History Project, Inc. The archive is in Washington, D.C. The text is complete.",
        &[
            "The letter was handed to Mr. Brezhnev in Bratislava.",
            "Several witnesses, e.g. the Czech press, printed it.",
            "Dr. Kramer translated it for the Cold War International History Project, Inc.",
            "The archive is in Washington, D.C.",
            "The text is complete.",
        ],
    );
    // "U.S." before a name is not a sentence end; before "The" it is.
    check(
        "en",
        "The U.S. Supreme Court heard the case. Troops left the U.S. The war ended in 1975 etc. Nobody knew.",
        &[
            "The U.S. Supreme Court heard the case.",
            "Troops left the U.S.",
            "The war ended in 1975 etc.",
            "Nobody knew.",
        ],
    );
}

// --- Initials ----------------------------------------------------------------------------------

#[test]
fn initials() {
    check(
        "cs",
        "Dopis byl adresován L. I. Brežněvovi. Odpověď nepřišla.",
        &["Dopis byl adresován L. I. Brežněvovi.", "Odpověď nepřišla."],
    );
    check(
        "ru",
        "Письмо было адресовано Л. И. Брежневу. Его подписали пятеро. Автор статьи — А.С. Иванов.",
        &[
            "Письмо было адресовано Л. И. Брежневу.",
            "Его подписали пятеро.",
            "Автор статьи — А.С. Иванов.",
        ],
    );
    check(
        "en",
        "The letter of August 1968 to L. I. Brezhnev was found in 1992. J. R. R. Tolkien is unrelated.",
        &[
            "The letter of August 1968 to L. I. Brezhnev was found in 1992.",
            "J. R. R. Tolkien is unrelated.",
        ],
    );
}

// --- Numbers: ordinals, decimals, years ----------------------------------------------------------

#[test]
fn ordinal_numbers() {
    check(
        "cs",
        "Dopis byl předán 3. srpna 1968 v Bratislavě. Otiskly ho Hospodářské noviny 17. července 1992. 21. srpna začala invaze. Stalo se to ve 20. století.",
        &[
            "Dopis byl předán 3. srpna 1968 v Bratislavě.",
            "Otiskly ho Hospodářské noviny 17. července 1992.",
            "21. srpna začala invaze.",
            "Stalo se to ve 20. století.",
        ],
    );
    // A date written with dots stays one sentence.
    check(
        "cs",
        "Schůzka byla 3. 8. 1968 v Bratislavě. Dopis byl předán večer.",
        &[
            "Schůzka byla 3. 8. 1968 v Bratislavě.",
            "Dopis byl předán večer.",
        ],
    );
}

#[test]
fn decimal_numbers() {
    check(
        "en",
        "By comparison, it cost $103.7 million. Prices rose by 3.5 percent. Rates fell to 0.25%.",
        &[
            "By comparison, it cost $103.7 million.",
            "Prices rose by 3.5 percent.",
            "Rates fell to 0.25%.",
        ],
    );
    check(
        "cs",
        "Stavba stála 103,7 milionu dolarů. Ceny vzrostly o 3.5 procenta.",
        &[
            "Stavba stála 103,7 milionu dolarů.",
            "Ceny vzrostly o 3.5 procenta.",
        ],
    );
    check(
        "ru",
        "Расходы составили 103,7 миллиона долларов. Цены выросли на 3.5 процента.",
        &[
            "Расходы составили 103,7 миллиона долларов.",
            "Цены выросли на 3.5 процента.",
        ],
    );
}

#[test]
fn year_then_sentence_starting_with_number() {
    check(
        "en",
        "The letter was found in 1992. 1968 had been a year of hope.",
        &[
            "The letter was found in 1992.",
            "1968 had been a year of hope.",
        ],
    );
    check(
        "cs",
        "Dopis byl nalezen v Moskvě. 16. července 1992 ho převzal prezident.",
        &[
            "Dopis byl nalezen v Moskvě.",
            "16. července 1992 ho převzal prezident.",
        ],
    );
}

// --- Ellipses ----------------------------------------------------------------------------------

#[test]
fn ellipses() {
    check(
        "cs",
        "Text končí slovy „považujte toto naše prohlá…“ Zbytek chybí. Citát začíná „s vědomím plné odpovědnosti… prohlášením“ a pokračuje dál...",
        &[
            "Text končí slovy „považujte toto naše prohlá…“",
            "Zbytek chybí.",
            "Citát začíná „s vědomím plné odpovědnosti… prohlášením“ a pokračuje dál...",
        ],
    );
    check(
        "en",
        "Used from the salutation to \"…are paralyzed to a considerable degree.\" The rest... is from another copy. A gap […] Here it resumes.",
        &[
            "Used from the salutation to \"…are paralyzed to a considerable degree.\"",
            "The rest... is from another copy.",
            "A gap […] Here it resumes.",
        ],
    );
    check(
        "ru",
        "Он молчал… Потом заговорил… тихо.",
        &["Он молчал…", "Потом заговорил… тихо."],
    );
}

#[test]
fn spaced_ellipses_and_hesitations() {
    check(
        "en",
        "The Czech text ends in mid-word . . . The rest is missing. It breaks off . . . mid-word. The signatures are lost. . . .",
        &[
            "The Czech text ends in mid-word . . .",
            "The rest is missing.",
            "It breaks off . . . mid-word.",
            "The signatures are lost. . . .",
        ],
    );
    // A repeated word after an ellipsis is a hesitation, not a new sentence.
    check(
        "en",
        "'I... I don't know,' he said. 'Tomorrow . . . tomorrow we sign.' Then silence.",
        &[
            "'I... I don't know,' he said.",
            "'Tomorrow . . . tomorrow we sign.'",
            "Then silence.",
        ],
    );
}

#[test]
fn list_labels_are_not_sentence_ends() {
    check(
        "en",
        "The letter names three dangers: 1. Nationalism; 2. Chauvinism; 3. Anti-Soviet psychosis. It asks for help.",
        &[
            "The letter names three dangers: 1. Nationalism; 2. Chauvinism; 3. Anti-Soviet psychosis.",
            "It asks for help.",
        ],
    );
    check(
        "cs",
        "Dopis žádal: 1. Podporu; 2. Pomoc všemi prostředky. Podepsalo ho pět lidí.",
        &[
            "Dopis žádal: 1. Podporu; 2. Pomoc všemi prostředky.",
            "Podepsalo ho pět lidí.",
        ],
    );
}

#[test]
fn broken_off_speech_ends_before_the_next_quote() {
    check(
        "en",
        "'We appeal to you—' 'Enough!' said Brezhnev. 'We—' he began again.",
        &[
            "'We appeal to you—'",
            "'Enough!' said Brezhnev.",
            "'We—' he began again.",
        ],
    );
}

// --- Quotes of every script ----------------------------------------------------------------------

#[test]
fn quotes_cs() {
    check(
        "cs",
        "„Bez souhlasu neotvírat!“ stálo na obálce. „Obracíme se na vás.“ Tak zněla prosba. Autoři žádali o „účinnou podporu“. Text nazvali »Dokument«. Pak mlčeli.",
        &[
            "„Bez souhlasu neotvírat!“ stálo na obálce.",
            "„Obracíme se na vás.“",
            "Tak zněla prosba.",
            "Autoři žádali o „účinnou podporu“.",
            "Text nazvali »Dokument«.",
            "Pak mlčeli.",
        ],
    );
}

#[test]
fn quotes_ru() {
    check(
        "ru",
        "«Мы просим вас о помощи», — писали они. «Вы поможете?» — спросил Биляк. Ответа не было. Они просили «поддержки и помощи». Так закончилось письмо.",
        &[
            "«Мы просим вас о помощи», — писали они.",
            "«Вы поможете?» — спросил Биляк.",
            "Ответа не было.",
            "Они просили «поддержки и помощи».",
            "Так закончилось письмо.",
        ],
    );
    check(
        "ru",
        "— Вы поможете? — Да. — Когда?",
        &["— Вы поможете?", "— Да.", "— Когда?"],
    );
}

#[test]
fn quotes_en() {
    check(
        "en",
        "They asked for \"support and assistance with all the means at your disposal.\" Brezhnev read it. “It is done.” ‘Is it?’ he asked. He called it a “merit system.” Then he left.",
        &[
            "They asked for \"support and assistance with all the means at your disposal.\"",
            "Brezhnev read it.",
            "“It is done.”",
            "‘Is it?’ he asked.",
            "He called it a “merit system.”",
            "Then he left.",
        ],
    );
}

// --- Brackets ----------------------------------------------------------------------------------

#[test]
fn brackets() {
    check(
        "en",
        "The letter was typed in Russian. (The Czech text is a translation.) It was found in 1992 (in Moscow). Some doubt (?) remains.",
        &[
            "The letter was typed in Russian.",
            "(The Czech text is a translation.)",
            "It was found in 1992 (in Moscow).",
            "Some doubt (?) remains.",
        ],
    );
    check(
        "ru",
        "Письмо было написано по-русски. (Чешский текст — перевод.) Его нашли в Москве (в архиве Политбюро). Сомнения (?) остаются.",
        &[
            "Письмо было написано по-русски.",
            "(Чешский текст — перевод.)",
            "Его нашли в Москве (в архиве Политбюро).",
            "Сомнения (?) остаются.",
        ],
    );
    check(
        "cs",
        "Dopis byl napsán rusky. (Český text je překlad.) Našel se v Moskvě [v archivu].",
        &[
            "Dopis byl napsán rusky.",
            "(Český text je překlad.)",
            "Našel se v Moskvě [v archivu].",
        ],
    );
}

// --- Paragraphs and missing final punctuation ------------------------------------------------------

#[test]
fn no_final_punctuation_and_paragraphs() {
    let text = fixture("letter-cs.txt");
    let got = sentences(&text, "cs");
    // The Czech witness breaks off mid-word: the last sentence has no final punctuation.
    assert_eq!(
        got.last().copied(),
        Some(
            "V případě, že by však naše síly a prostředky byly vyčerpány nebo nepřinesly pozitivní výsledky, považujte toto naše prohlá"
        )
    );
    // A blank line ends a sentence even without punctuation; a single newline is white space.
    check(
        "en",
        "Esteemed Leonid Ilich,\n\nConscious of the full\nresponsibility for our decision, we appeal to you.",
        &[
            "Esteemed Leonid Ilich,",
            "Conscious of the full\nresponsibility for our decision, we appeal to you.",
        ],
    );
    check(
        "ru",
        "Статья 1\n\nВсе люди рождаются свободными и равными в своем достоинстве и правах\n",
        &[
            "Статья 1",
            "Все люди рождаются свободными и равными в своем достоинстве и правах",
        ],
    );
    let paras = split_paragraphs("A b.\n  \n\nC d.\r\n\r\nE f\n");
    let text = "A b.\n  \n\nC d.\r\n\r\nE f\n";
    let got: Vec<&str> = paras.into_iter().map(|r| &text[r]).collect();
    assert_eq!(got, ["A b.", "C d.", "E f"]);
}

// --- Unknown languages -------------------------------------------------------------------------

#[test]
fn unknown_language_gets_generic_rules() {
    check(
        "de",
        "Der Brief wurde am 3. August 1968 übergeben. Er wurde z. B. in Prag gedruckt. Wer schrieb ihn? Fünf Funktionäre.",
        &[
            "Der Brief wurde am 3. August 1968 übergeben.",
            "Er wurde z. B. in Prag gedruckt.",
            "Wer schrieb ihn?",
            "Fünf Funktionäre.",
        ],
    );
    check(
        "sk",
        "S ohľadom na zložitosť situácie prosíme vás o utajenie. Píšeme po rusky.",
        &[
            "S ohľadom na zložitosť situácie prosíme vás o utajenie.",
            "Píšeme po rusky.",
        ],
    );
    // Scripts without spaces between sentences.
    check(
        "zh",
        "我们请求援助。我们用俄语写信。",
        &["我们请求援助。", "我们用俄语写信。"],
    );
}

// --- Invariants ----------------------------------------------------------------------------------

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "slovo",
        "Slovo",
        "Брежнев",
        "т.",
        "е.",
        "г.",
        "1968",
        "17.",
        "3,5",
        "Mr.",
        "L.",
        "U.S.",
        "např.",
        "n.",
        "l.",
        ".",
        "?",
        "!",
        "?!",
        "…",
        "...",
        "„",
        "“",
        "«",
        "»",
        "\"",
        "(",
        ")",
        "—",
        " ",
        " ",
        " ",
        "\n",
        "\n\n",
        "\t",
        "\u{a0}",
        "。",
        "我们",
        "é",
        "e\u{301}",
    ])
}

proptest! {
    #[test]
    fn ranges_are_ordered_trimmed_and_cover_every_non_space(
        parts in prop::collection::vec(piece(), 0..40),
        lang in prop::sample::select(vec!["cs", "ru", "en", "xx"]),
    ) {
        let text: String = parts.concat();
        let ranges = split(&text, lang);
        let mut covered = vec![false; text.len()];
        let mut last_end = 0;
        for r in &ranges {
            prop_assert!(r.start < r.end, "empty range {:?}", r);
            prop_assert!(r.start >= last_end, "overlap or disorder at {:?}", r);
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let s = &text[r.clone()];
            prop_assert_eq!(s.trim(), s, "not trimmed");
            for i in r.clone() {
                covered[i] = true;
            }
            last_end = r.end;
        }
        for (i, c) in text.char_indices() {
            if !c.is_whitespace() {
                prop_assert!(covered[i], "{:?} at {} not covered", c, i);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_keeps_the_invariants(
        text in "(\\PC|[ .?!…\n]){0,200}",
        lang in prop::sample::select(vec!["cs", "ru", "en", "xx"]),
    ) {
        let ranges = split(&text, lang);
        let mut last_end = 0;
        for r in &ranges {
            prop_assert!(r.start < r.end && r.start >= last_end);
            prop_assert_eq!(text[r.clone()].trim(), &text[r.clone()]);
            last_end = r.end;
        }
        let non_space = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
        let covered: usize = ranges.iter().map(|r| non_space(&text[r.clone()])).sum();
        prop_assert_eq!(covered, non_space(&text));
    }
}
