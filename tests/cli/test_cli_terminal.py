"""The CLI never lets terminal control characters from a file reach the terminal."""

from __future__ import annotations

from segmentation.cli import main


def test_printed_tables_and_messages_carry_no_control_characters(tmp_path, capsys):
    rows = ["id,inc\x1b[31mome,tier\u202e"]
    tiers = ("gold\u202e", "silver", "bronze")
    rows += [f"{i},{10 + (i * 37) % 90},{tiers[i % 3]}" for i in range(60)]
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["segment", str(path), "-k", "3", "-o", str(tmp_path / "out.csv")]) == 0
    out = capsys.readouterr().out
    table = out[out.index("segments of") :]
    assert "inc<U+001B>[31mome" in table
    assert not any(c in table for c in "\x1b\u202e")
    assert "gold<U+202E>" in table
    assert "gold\u202e" in (tmp_path / "out.csv").read_text(encoding="utf-8")  # the download keeps the cell


def test_an_error_message_is_escaped(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("a\x1b]0;pwned\x07,b\n", encoding="utf-8")
    main(["segment", str(path), "-o", str(tmp_path / "out.csv")])
    err = capsys.readouterr().err
    assert err.startswith("error:") and "\x1b" not in err and "\x07" not in err
