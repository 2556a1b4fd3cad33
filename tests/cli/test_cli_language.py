"""The command line speaks the language of --lang, else of the locale (LANG)."""

from __future__ import annotations

import pytest

from segmentation.cli import main


@pytest.fixture
def empty_csv(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    return path


def test_errors_follow_lang(empty_csv, capsys, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert main(["segment", str(empty_csv), "-o", str(empty_csv.with_name("out.csv"))]) == 2
    assert capsys.readouterr().err.startswith("error: Файл пуст.")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert main(["segment", str(empty_csv), "-o", str(empty_csv.with_name("out.csv"))]) == 2
    assert capsys.readouterr().err.startswith("error: The file is empty.")


def test_lang_option_wins_over_the_locale(empty_csv, capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert main(["--lang", "ru", "segment", str(empty_csv), "-o", str(empty_csv.with_name("out.csv"))]) == 2
    assert "Файл пуст" in capsys.readouterr().err


def test_the_language_ends_with_the_command(empty_csv, capsys):
    from segmentation.i18n import current_language

    main(["--lang", "ru", "segment", str(empty_csv), "-o", str(empty_csv.with_name("out.csv"))])
    assert current_language() == "en"
