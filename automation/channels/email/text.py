"""The words of an email: HTML to plain text, quoted replies and signatures cut, subjects.

Shoppers answer above the whole thread; the engine should read what they wrote this time,
not our previous reply quoted back at it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Content of these elements is never text a shopper wrote (and scripts must never surface).
_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript", "svg",
                     "object", "iframe", "select"})
_BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "table", "tr",
                     "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "address",
                     "dl", "dt", "dd", "center", "form", "fieldset", "figure"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed",
                   "source", "track", "wbr"})

# "On Tue, 3 Mar 2026 at 10:00, Shop <support@shop.example> wrote:" and its translations.
# A real header always carries a date, so a digit is required: "On Monday I wrote:" stays.
_QUOTE_HEADERS = [re.compile(p, re.IGNORECASE) for p in (
    r"^on\b.*\d.*\bwrote\s?:$",
    r"^le\b.*\d.*\ba\s+écrit\s?:$",
    r"^em\b.*\d.*\bescreveu\s?:$",
    r"^el\b.*\d.*\bescribió\s?:$",
    r"^am\b.*\d.*\bschrieb.*:$",
    r"^-{2,}\s*(original message|message d'origine|mensagem original|mensaje original)"
    r"\s*-{2,}$",
)]
_OUTLOOK_FROM = re.compile(r"^\*?(from|de|von)\s?:\*?\s", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"^\*?(sent|date|envoyé|enviada|enviado|data|gesendet)\s?:",
                           re.IGNORECASE)
_MOBILE_SIGNATURE = re.compile(
    r"^(sent from my|sent from outlook|get outlook for|envoyé de mon|envoyé depuis|"
    r"enviado do meu|enviado de meu|enviado desde mi)\b", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*((re|ré|réf|ref|res|aw|antw|sv|vs)(\s*\[\d+\])?\s*:\s*)+",
                           re.IGNORECASE)


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML body; quoted blocks get "> " line prefixes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0
        self.quote_depth = 0
        self.pre = 0
        self.line_start = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += tag not in _VOID
            return
        if tag == "br":
            self._newline()
        elif tag == "li":
            self._newline()
            self._emit("- ")
        elif tag == "blockquote":
            self._newline()
            self.quote_depth += 1
        elif tag in ("td", "th"):
            self._emit(" ")
        elif tag in _BLOCKS:
            self._newline(2 if tag in ("p", "table", "ul", "ol", "pre") else 1)
            self.pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote":
            self._newline()
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag in _BLOCKS or tag == "li":
            self._newline(2 if tag in ("p", "table", "ul", "ol", "pre") else 1)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self._emit(data if self.pre else re.sub(r"\s+", " ", data))

    def _newline(self, count: int = 1) -> None:
        self.out.append("\n" * count)
        self.line_start = True

    def _emit(self, text: str) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                self._newline()
            if not part or (self.line_start and not part.strip()):
                continue
            if self.line_start:
                part = "> " * self.quote_depth + part.lstrip()
            self.out.append(part)
            self.line_start = False


def html_to_text(html: str) -> str:
    """Return the visible text of an HTML email body, without scripts, styles or tags."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.out))


def tidy(text: str) -> str:
    """Return text with unified line ends, no trailing spaces and at most one blank line."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_reply(text: str) -> str:
    """Return only what the writer added: no quoted thread, no signature, no "Sent from…"."""
    lines = tidy(text).split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if line.rstrip() == "--" or _starts_quote(lines, index):
            break
        if stripped.startswith(">") or _MOBILE_SIGNATURE.match(stripped):
            continue
        kept.append(line)
    return tidy("\n".join(kept))


def _starts_quote(lines: list[str], index: int) -> bool:
    line = lines[index].strip()
    following = [candidate.strip() for candidate in lines[index + 1:index + 4]]
    # Clients wrap long headers: "On Tue, 3 Mar 2026, Shop <a@b.c>" / "wrote:".
    candidates = [line] + ([f"{line} {following[0]}"] if following else [])
    if any(pattern.match(candidate) for pattern in _QUOTE_HEADERS for candidate in candidates):
        return True
    if re.fullmatch(r"_{10,}", line):
        line, following = (following[0] if following else ""), following[1:]
    return bool(_OUTLOOK_FROM.match(line)) and any(_OUTLOOK_SENT.match(f) for f in following)


def reply_subject(subject: str, *, fallback: str) -> str:
    """Return "Re: " + subject, without piling up "Re:", "RE:", "Réf :" or "AW:" prefixes."""
    bare = _REPLY_PREFIX.sub("", " ".join(subject.split())).strip()
    return f"Re: {bare or fallback}"
