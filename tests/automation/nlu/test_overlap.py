"""The overlap check keeps new examples apart from the held-out ones and the existing ones."""
from __future__ import annotations

import json

from automation.nlu import overlap
from automation.nlu.examples import load_examples


def _line(text: str, intent: str = "other") -> str:
    return json.dumps({"text": text, "intent": intent})


def test_close_to_a_held_out_example_or_already_there_is_dropped(tmp_path, capsys) -> None:
    heldout = next(e for e in load_examples("heldout") if len(overlap.word_set(e.text)) >= 5)
    training = load_examples("train")[0]
    close = heldout.text + " please"  # the same words and one more: well over 60 %
    fresh = "zebra quartz violin tangerine harbour"
    path = tmp_path / "en.new.jsonl"
    path.write_text("\n".join([_line(close), _line(training.text), _line(fresh),
                               _line(fresh)]) + "\n", "utf-8")

    assert overlap.main([str(path), "--write"]) == 0

    assert [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()] == [fresh]
    printed = capsys.readouterr().out
    assert "1 kept, 3 dropped of 4" in printed
    # Only the new line is shown: writers never read the held-out examples.
    assert printed.count(heldout.text) == 1


def test_a_file_already_in_the_data_folder_is_not_compared_with_itself(tmp_path) -> None:
    example = load_examples("all")[0]
    lines = [_line(example.text)]
    assert overlap.reasons_to_drop(lines, example.source) == [None]
    assert overlap.reasons_to_drop(lines, "another.jsonl") == ["already an example"]
