"""The n8n workflow files: generated from one description, no secret in them, and no action
reachable before the signature is checked. (`make n8n-test` runs them in a real n8n.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflows import n8n_build

FILES = sorted(Path(n8n_build.HERE).glob("*.json"))
KNOWN_TYPES = {"n8n-nodes-base.webhook", "n8n-nodes-base.extractFromFile",
               "n8n-nodes-base.crypto", "n8n-nodes-base.if", "n8n-nodes-base.respondToWebhook",
               "n8n-nodes-base.set", "n8n-nodes-base.httpRequest", "n8n-nodes-base.emailSend",
               "n8n-nodes-base.wait", "n8n-nodes-base.scheduleTrigger"}


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_the_five_files_are_what_the_description_writes():
    built = n8n_build.documents()
    assert sorted(built) == [p.name for p in FILES] and len(FILES) == 5
    for path in FILES:
        assert _load(path) == built[path.name], f"run python -m workflows.n8n_build ({path.name})"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_secret_and_credentials_by_name(path):
    text = path.read_text()
    for secret in ("whsec_", "sk_desk_", "Bearer ", "hmacSecret", "password", "ntn_"):
        assert secret not in text
    document = _load(path)
    for node in document["nodes"]:
        assert node["type"] in KNOWN_TYPES, node["type"]
        for kind, credential in node.get("credentials", {}).items():
            assert isinstance(credential, str), f"{node['name']}: a name, not an id"


def _after(document: dict, name: str, output: int | None = None) -> set[str]:
    outputs = document["connections"].get(name, {}).get("main", [])
    chosen = outputs if output is None else outputs[output:output + 1]
    return {link["node"] for links in chosen for link in links}


def _reachable(document: dict, start: str, output: int | None = None) -> set[str]:
    seen, todo = set(), list(_after(document, start, output))
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _after(document, name)
    return seen


@pytest.mark.parametrize("path", [p for p in FILES if p.name != "daily-digest.json"],
                         ids=lambda p: p.name)
def test_nothing_acts_before_the_signature_is_checked(path):
    document = _load(path)
    names = {n["name"]: n for n in document["nodes"]}
    assert names["Desk event"]["parameters"]["options"]["rawBody"] is True
    assert _after(document, "Desk event") == {"Raw body"}
    assert _after(document, "Raw body") == {"Compute signature"}
    assert _after(document, "Compute signature") == {"Signature valid?"}
    assert _reachable(document, "Signature valid?", 1) == {"Refuse"}
    assert names["Refuse"]["parameters"]["options"]["responseCode"] == 401
    acting = {n["name"] for n in document["nodes"]
              if n["type"] in ("n8n-nodes-base.httpRequest", "n8n-nodes-base.emailSend")}
    assert acting and acting <= _reachable(document, "Signature valid?", 0)
    crypto = names["Compute signature"]
    assert crypto["parameters"]["type"] == "SHA256"
    assert crypto["parameters"]["encoding"] == "hex"
    assert crypto["credentials"]["crypto"].startswith("Desk signing secret: ")


def test_every_call_to_the_desk_uses_the_named_key():
    for path in FILES:
        for node in _load(path)["nodes"]:
            if node["type"] == "n8n-nodes-base.httpRequest":
                assert node["credentials"] == {"httpHeaderAuth": "Desk API key"}
                assert node["parameters"]["genericAuthType"] == "httpHeaderAuth"
