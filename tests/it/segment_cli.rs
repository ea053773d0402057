//! The `tei-align segment` command: output format, stdin, and the error cases.

use crate::common;

use common::tool;
use predicates::prelude::*;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segment/");

#[test]
fn one_sentence_per_line_blank_line_between_paragraphs() {
    let expected = std::fs::read_to_string(format!("{FIX}letter-cs.expected")).unwrap();
    tool()
        .args(["segment", "--lang", "cs", &format!("{FIX}letter-cs.txt")])
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn reads_stdin_with_dash_or_no_file_and_joins_lines_of_a_sentence() {
    let input =
        "The letter was typed\nin Russian. It was found in 1992.\n\n\nEsteemed Leonid Ilich,\n";
    let expected =
        "The letter was typed in Russian.\nIt was found in 1992.\n\nEsteemed Leonid Ilich,\n";
    tool()
        .args(["segment", "--lang", "en", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(expected);
    tool()
        .args(["segment", "-l", "en"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn unknown_language_falls_back_to_generic_rules() {
    tool()
        .args(["segment", "--lang", "sk"])
        .write_stdin("Prosíme vás o utajenie. Píšeme po rusky.\n")
        .assert()
        .success()
        .stdout("Prosíme vás o utajenie.\nPíšeme po rusky.\n");
}

#[test]
fn missing_file_is_one_line_naming_it() {
    let missing = format!("{FIX}no-such-file.txt");
    tool()
        .args(["segment", "--lang", "cs", &missing])
        .assert()
        .failure()
        .stdout("")
        .stderr(
            predicate::str::contains("no-such-file.txt").and(predicate::function(|s: &str| {
                s.trim_end().lines().count() == 1
            })),
        );
}

#[test]
fn non_utf8_file_is_an_error_naming_it() {
    tool()
        .args(["segment", "--lang", "cs", &format!("{FIX}not-utf8.txt")])
        .assert()
        .failure()
        .stdout("")
        .stderr(predicate::str::contains("not-utf8.txt").and(predicate::str::contains("UTF-8")));
}

#[test]
fn non_utf8_stdin_is_an_error_naming_stdin() {
    tool()
        .args(["segment", "--lang", "ru"])
        .write_stdin(&b"\xd0\x9f\xff"[..])
        .assert()
        .failure()
        .stderr(predicate::str::contains("<stdin>").and(predicate::str::contains("UTF-8")));
}

#[test]
fn empty_input_is_an_error() {
    tool()
        .args(["segment", "--lang", "en", &format!("{FIX}empty.txt")])
        .assert()
        .failure()
        .stderr(predicate::str::contains("empty.txt").and(predicate::str::contains("empty")));
    tool()
        .args(["segment", "--lang", "en"])
        .write_stdin("\n \n")
        .assert()
        .failure()
        .stderr(predicate::str::contains("<stdin>"));
}

#[test]
fn lang_is_required() {
    tool()
        .args(["segment"])
        .write_stdin("A. B.")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--lang"));
}
