"""`python -m automation.nlu`: JSON lines in ({"text": ...}), one JSON result line out each."""
from __future__ import annotations

import json
import os
import sys
from datetime import date
from typing import TextIO

from automation.nlu.pipeline import analyse
from automation.nlu.result import Catalogue


class InputError(ValueError):
    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields


def _parse(line: str) -> dict:
    try:
        request = json.loads(line)
    except ValueError as error:
        raise InputError(f"not valid JSON: {error}") from error
    if not isinstance(request, dict):
        raise InputError("each line must be a JSON object")
    fields: dict[str, str] = {}
    if not isinstance(request.get("text"), str):
        fields["text"] = "required, a string"
    history = request.get("history", [])
    if not isinstance(history, list) or not all(isinstance(item, str) for item in history):
        fields["history"] = "must be a list of strings"
    hint = request.get("language_hint")
    if hint is not None and not isinstance(hint, str):
        fields["language_hint"] = "must be a string"
    today = request.get("today")
    if today is not None:
        try:
            request["today"] = date.fromisoformat(today)
        except (TypeError, ValueError):
            fields["today"] = "must be an ISO date, YYYY-MM-DD"
    catalogue = request.get("catalogue", [])
    if not isinstance(catalogue, list) or not all(
        isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
        for item in catalogue
    ):
        fields["catalogue"] = "must be a list of [sku, name] pairs"
    if fields:
        message = "; ".join(f"{name}: {problem}" for name, problem in fields.items())
        raise InputError(message, fields)
    return request


def _answer(line: str) -> dict:
    try:
        request = _parse(line)
    except InputError as error:
        body = {"code": "validation_error", "message": str(error)}
        if error.fields:
            body["fields"] = error.fields
        return {"error": body}
    result = analyse(
        request["text"],
        history=request.get("history", []),
        language_hint=request.get("language_hint"),
        today=request.get("today"),
        catalogue=Catalogue(tuple(tuple(item) for item in request.get("catalogue", []))),
    )
    return result.to_dict()


def main(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Answer every non-blank input line with one JSON line, flushing as it goes."""
    try:
        for line in stdin:
            if not line.strip():
                continue
            stdout.write(json.dumps(_answer(line), ensure_ascii=False) + "\n")
            stdout.flush()
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
