"""Site search: a static index of the explainer and country pages, made by the generator.

The index is made from the rendered pages, after every page is rendered, and
joins the build's files under `search/`, so it is written and swapped in
together with the pages:

    search/languages.json        the languages that have pages
    search/<lang>/pages.json     each page: its address, title, length in words and text file
    search/<lang>/<bucket>.json  the words that begin with two given letters, and their pages
    search/text/<digest>.json    a page's text, for the lines shown under a result

The reader's browser (static/search.js) fetches, for each word typed, the one
bucket its first two letters name, ranks the pages that hold every word, and
then fetches the text of the first few results only.

Each page gives a `Record` (its words and their counts), made once per version
of its bytes. The `Index` keeps the records and the files between builds, in
memory and in the build cache: when pages change but no page comes or goes,
only the buckets of words whose counts changed are written again, so a
one-file change costs a few buckets, not the whole site.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

INDEXED = re.compile(r"(?:[^/]+|countries/[^/]+)/index\.html\Z")  # explainers and country pages
FOLDER = "search"
# Parts of a page that repeat what is indexed elsewhere on it, or are not read as its text:
# the contents list, timeline chips and margin notes, share links, hidden labels, and the
# preview's embed snippets (so the preview's index is the published one).
SKIPPED = ("toc", "backlink", "backlinks", "note", "event-meta", "share", "hub-link", "translations", "vh",
           "embed-codes")
TITLE_WEIGHT = 5  # a word of the title counts as this many in the body
TEXT_KEPT = 30_000  # characters of a page's text kept for the lines under a result: a long explainer's all
LONGEST_WORD = 40  # longer runs of letters (hashes, addresses) are not words anyone types
# A skipped element found by its class attribute (a literal to scan for is fast), then its tag.
SKIP_CLASS = re.compile(r'class="(?:[^"]*\s)?(?:' + "|".join(SKIPPED) + r')(?:\s[^"]*)?"|<(?:script|style|template|svg|h1)\b')
TAG_NAME = re.compile(r"<(\w+)")
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")
LANG = re.compile(r'<html\b[^>]*\blang="([^"]*)"')
SAFE_LANGUAGE = re.compile(r"[a-z0-9]{1,8}(?:-[a-z0-9]{1,8})*")  # a tag, and a folder name
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)


@dataclass(frozen=True)
class Record:
    """What one page gives the index.

    Its words and text, most of it, are kept compressed (`body`): the index holds the
    record of every page of the site between builds, and a build reads the words of all
    of them only when it makes a language's files anew, one page after another.
    """

    language: str
    title: str
    words: int  # its length in words, for ranking
    text_file: str  # the output name of the file that holds its text, named by the text's digest
    body: bytes  # [terms, text] as compressed JSON: see of()

    @classmethod
    def of(cls, language: str, title: str, words: int, terms: str, text: str, text_file: str) -> Record:
        """`terms`: "word count word count …", its words with their weights; `text`: the text shown under a result."""
        return cls(language, title, words, text_file, zlib.compress(json.dumps([terms, text], ensure_ascii=False).encode(), 1))

    @property
    def terms(self) -> str:
        return self._unpacked()[0]

    @property
    def text(self) -> str:
        return self._unpacked()[1]

    def _unpacked(self) -> list[str]:
        return json.loads(zlib.decompress(self.body))

    def counts(self) -> dict[str, int]:
        parts = self.terms.split()
        return dict(zip(parts[::2], map(int, parts[1::2])))

    def packed(self) -> bytes:
        """The record as bytes, to send from a worker: its plain fields as JSON (which writes
        no NUL byte: control characters are escaped), NUL, then the compressed body."""
        return json.dumps([self.language, self.title, self.words, self.text_file]).encode() + b"\0" + self.body

    @classmethod
    def unpacked(cls, data: bytes) -> Record:
        head, _, body = data.partition(b"\0")
        language, title, words, text_file = json.loads(head)
        return cls(language, title, words, text_file, body)


class Noted(Mapping[str, tuple[str, Record]]):
    """The records the workers took of the pages they made (output name -> (digest of the page,
    packed record)), unpacked when asked for: a rebuild after one edit needs one of a thousand."""

    def __init__(self, packed: dict[str, tuple[str, bytes]]):
        self.packed = packed

    def __getitem__(self, name: str) -> tuple[str, Record]:
        digest, data = self.packed[name]
        return digest, Record.unpacked(data)

    def __iter__(self) -> Iterator[str]:
        return iter(self.packed)

    def __len__(self) -> int:
        return len(self.packed)


def indexed(name: str) -> bool:
    return bool(INDEXED.match(name))


def words(text: str) -> list[str]:
    """The words of a text, lower case and without accents, as the reader's browser reads a
    query (static/search-ui.js): runs of letters, digits and _, each then folded."""
    found = WORD.findall(text.lower())
    if text.isascii():
        return found
    folded = {w: _fold(w) for w in set(found) if not w.isascii()}
    if not folded:  # only the punctuation was not ASCII (typographic quotes and dashes)
        return found
    return [part for w in found for part in folded.get(w, (w,))]


def _fold(word: str) -> list[str]:
    """Without marks, as the browser's /\\p{M}/ removes them after NFKD; lower case again and
    split again, since a compatibility form may hold capitals or spaces (U+037A is " ι")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if unicodedata.category(c)[0] != "M")
    return WORD.findall(plain.lower())


def record(page: bytes) -> Record:
    """The record of a page: its <main> without the skipped parts."""
    source = page.decode("utf-8", "replace")
    start, end = source.find("<main"), source.rfind("</main>")
    main = source[start:end] if 0 <= start < end else source
    language = LANG.search(source)
    heading = H1.search(main)
    title = _plain(heading[1]) if heading else ""
    text = _plain(_without_skipped(main))
    body = [w for w in words(text) if len(w) <= LONGEST_WORD]
    counts = Counter(body)
    for word in words(title):
        if len(word) <= LONGEST_WORD:
            counts[word] += TITLE_WEIGHT
    terms = " ".join(f"{word} {count}" for word, count in sorted(counts.items()))
    tag = (language[1] if language else "").lower()
    text = text[:TEXT_KEPT]
    return Record.of(tag if SAFE_LANGUAGE.fullmatch(tag) else "und", title, len(body), terms, text, _text_file(text))


def _without_skipped(markup: str) -> str:
    """The markup without the elements SKIPPED names (and scripts, styles, drawings and the title,
    which a result shows above its text), each to its end tag."""
    kept, at = [], 0
    while (found := SKIP_CLASS.search(markup, at)) is not None:
        start = markup.rfind("<", at, found.start() + 1)
        inside = start >= 0 and ">" not in markup[start:found.start()]
        name = TAG_NAME.match(markup, start) if inside else None
        if name is None:  # class="…" in text, not in a tag
            kept.append(markup[at:found.end()])
            at = found.end()
            continue
        kept.append(markup[at:start])
        close = markup.find(">", found.end())
        end = len(markup) if close < 0 else close + 1
        at = end if name[1].lower() in VOID or markup[end - 2:end] == "/>" else _end_of(markup, name[1], end)
    kept.append(markup[at:])
    return " ".join(kept)


def _end_of(markup: str, name: str, at: int) -> int:
    """Where the element begun before `at` ends: after its end tag, counting nested ones of its name."""
    depth = 1
    for tag in re.compile(rf"<(/?){name}\b[^>]*>").finditer(markup, at):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return tag.end()
    return len(markup)


def _plain(markup: str) -> str:
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", markup))).strip()


def bucket(word: str) -> str:
    """The file a word is in: its first two letters as code points, so any script makes a safe name."""
    return "-".join(f"{ord(c):x}" for c in word[:2])


class Index:
    """The search files of a site, kept between builds and changed page by page.

    Between builds only the pages' records and the files' digests are kept: the
    files are in the output, and a bucket to change is read back from there.
    """

    def __init__(self, state: dict | None = None, code: str = ""):
        """An index as last made (state()), if it was made by the same `code` (the generator's)."""
        self.code = code
        state = state if isinstance(state, dict) and state.get("code") == code else {}
        # output name -> (digest of its bytes, record)
        self.records: dict[str, tuple[str, Record]] = state.get("records", {})
        self.layout: dict[str, list[str]] = state.get("layout", {})  # language -> its pages, in id order
        self.digests: dict[str, str] = state.get("digests", {})  # output name -> digest of its bytes
        self.made: dict[str, bytes] = {}  # the files made by the last update, until they are written
        # Each page's entry in its language's pages.json, by the record it was made from: a
        # one-page change writes the list anew, but makes only that page's entry again.
        self.entries: dict[str, tuple[Record, str]] = {}
        self.changed = False  # since it was read from the cache

    def state(self) -> dict:
        return {"code": self.code, "records": self.records, "layout": self.layout, "digests": self.digests}

    def update(self, pages: dict[str, str], read_page: Callable[[str], bytes], present: Mapping[str, str],
               read_file: Callable[[str], bytes],
               noted: Mapping[str, tuple[str, Record]] | None = None) -> dict[str, bytes | None]:
        """The search files for these pages (output name -> digest of its bytes): the bytes of
        those made now, None for those in the output as they are (`present`: the digests
        of the files there, `read_file` reads one). `noted` holds records taken when pages
        were made (name -> digest of the page, record); `read_page` gives the bytes of
        a page whose record is known neither so nor from the last update."""
        self.made = {}
        old = self.records
        noted = noted or {}
        new = {}
        for name in sorted(pages):
            kept = old.get(name)
            if kept is None or kept[0] != pages[name]:
                kept = noted.get(name)
            new[name] = kept if kept is not None and kept[0] == pages[name] else (pages[name], record(read_page(name)))
        layout: dict[str, list[str]] = defaultdict(list)
        for name, (_, rec) in new.items():
            layout[rec.language].append(name)
        for language in set(self.layout) - set(layout):
            self._drop(f"{FOLDER}/{language}/")
        for language, names in layout.items():
            if self.layout.get(language) == names and self._there(f"{FOLDER}/{language}/", present):
                self._patch(language, names, old, new, read_file)
            else:
                self._make_language(language, names, new)
        self.records, self.layout = new, dict(layout)
        for name in self.entries.keys() - new.keys():
            del self.entries[name]
        self._texts(present)
        self._put(f"{FOLDER}/languages.json", _json(sorted(layout)))
        self.changed = True
        return {name: self.made.get(name) for name in self.digests}

    def _there(self, prefix: str, present: Mapping[str, str]) -> bool:
        """Whether every file under `prefix` is in the output as last made."""
        return all(present.get(name) == digest for name, digest in self.digests.items() if name.startswith(prefix))

    def _make_language(self, language: str, names: list[str], records: dict[str, tuple[str, Record]]) -> None:
        """All of a language's files, anew: its pages' ids are their places in `names`."""
        self._drop(f"{FOLDER}/{language}/")
        buckets: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        keys: dict[str, str] = {}
        for page, name in enumerate(names):
            parts = records[name][1].terms.split()
            for word, count in zip(parts[::2], parts[1::2]):
                key = keys.get(word) or keys.setdefault(word, bucket(word))
                buckets[key][word].append(f"{page},{count}")
        for key, found in buckets.items():
            # Words are letters, digits and _ only: written as JSON strings as they are.
            body = ",".join(f'"{word}":[{",".join(found[word])}]' for word in sorted(found))
            self._put(_bucket_file(language, key), ("{" + body + "}").encode())
        self._put(f"{FOLDER}/{language}/pages.json", self._pages(names, records))

    def _patch(self, language: str, names: list[str], old: dict, new: dict, read_file: Callable[[str], bytes]) -> None:
        """A language whose pages stay the same ones: only the buckets of changed counts anew."""
        changes: dict[str, list[tuple[str, int, int]]] = defaultdict(list)  # bucket -> (word, page, count)
        listed = False
        for page, name in enumerate(names):
            before, after = old[name][1], new[name][1]
            if before is after:
                continue
            listed |= (before.title, before.words, before.text_file) != (after.title, after.words, after.text_file)
            was, now = before.counts(), after.counts()
            for word in was.keys() | now.keys():
                if was.get(word) != now.get(word):
                    changes[bucket(word)].append((word, page, now.get(word, 0)))
        for key, changed in changes.items():
            path = _bucket_file(language, key)
            words = json.loads(read_file(path)) if path in self.digests else {}
            for word, page, count in changed:
                pairs = dict(zip(words.get(word, [])[::2], words.get(word, [])[1::2]))
                pairs[page] = count
                flat = [n for p in sorted(pairs) if pairs[p] for n in (p, pairs[p])]
                words[word] = flat
                if not flat:
                    del words[word]
            if words:
                self._put(path, _json(dict(sorted(words.items()))))
            else:
                self._remove(path)
        if listed:
            self._put(f"{FOLDER}/{language}/pages.json", self._pages(names, new))

    def _pages(self, names: list[str], records: dict[str, tuple[str, Record]]) -> bytes:
        """A language's pages.json: [address, title, words, text file] by page id."""
        listed = []
        for name in names:
            rec = records[name][1]
            kept = self.entries.get(name)
            if kept is None or kept[0] is not rec:
                entry = [name, rec.title, rec.words, rec.text_file.rsplit("/", 1)[1][:-5]]
                kept = self.entries[name] = (rec, _json(entry).decode())
            listed.append(kept[1])
        return f"[{','.join(listed)}]".encode()  # as _json writes the whole list

    def _put(self, name: str, data: bytes) -> None:
        self.made[name] = data
        self.digests[name] = _digest(data)

    def _remove(self, name: str) -> None:
        self.made.pop(name, None)
        self.digests.pop(name, None)

    def _drop(self, prefix: str) -> None:
        for name in [n for n in self.digests if n.startswith(prefix)]:
            self._remove(name)

    def _texts(self, present: Mapping[str, str]) -> None:
        """Each page's text in a file named by its digest: only a new text (or one missing from
        the output) makes a file."""
        wanted = {rec.text_file: rec for _, rec in self.records.values()}
        prefix = f"{FOLDER}/text/"
        for name in [n for n in self.digests if n.startswith(prefix) and n not in wanted]:
            self._remove(name)
        for name, rec in wanted.items():
            if name not in self.digests or present.get(name) != self.digests[name]:
                self._put(name, _json(rec.text))


def _bucket_file(language: str, key: str) -> str:
    return f"{FOLDER}/{language}/{key}.json"


def _text_file(text: str) -> str:
    return f"{FOLDER}/text/{hashlib.sha256(text.encode()).hexdigest()[:20]}.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
