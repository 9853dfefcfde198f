"""JSON Schemas of the files an author writes, so editors complete keys and flag errors as one types.

They are made from the declarations the validator checks with (schema.Record, Field, Scalar and
their hints), so the two cannot drift. `init` and `new` write them into the site's .schemas/
folder, and every YAML file they write names its schema on its first line (`schema_line`): a
relative path, which VS Code's YAML extension and other yaml-language-server editors resolve
offline. JSON Schema draft-07, the draft those editors support best.
"""

from __future__ import annotations

import errno
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.validate.schema import Bool, Field, ListOf, Record, Scalar

FOLDER = ".schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"
# The validator reads every scalar as the text typed; editors read YAML 1.2, where 4,200 is
# text but 4200, true and 2022 are not: any of them is a text to the validator.
TEXT_TYPES = ["string", "number", "boolean"]


@dataclass(frozen=True)
class Document:
    """One kind of file: its schema's file name, what it is, and its declaration."""

    name: str
    title: str
    kind: Any


def documents() -> list[Document]:
    from generator.config import SITE
    from generator.load.annotations import FILES
    from generator.load.content import FRONT_MATTER

    return [Document("site.schema.json", "site.yaml", SITE),
            Document("front-matter.schema.json", "the front matter of article.md", FRONT_MATTER),
            *(Document(f"{kind}.schema.json", name, schema) for kind, name, schema in FILES)]


def document_schema(document: Document) -> dict:
    return {"$schema": DRAFT, "title": document.title, **json_schema(document.kind)}


def json_schema(kind: Any) -> dict:
    """The JSON Schema of one declared kind of value."""
    if isinstance(kind, Record):
        return {"type": "object", "description": kind.what,
                "properties": {key: field_schema(spec) for key, spec in kind.fields.items()},
                "required": [key for key, spec in kind.fields.items() if spec.required],
                "additionalProperties": False}
    if isinstance(kind, ListOf):
        return {"type": "array", "items": json_schema(kind.item)}
    if isinstance(kind, Bool):
        return {"type": "boolean"}
    if isinstance(kind, Scalar):
        return {"type": TEXT_TYPES, **(kind.hint() if kind.hint else {})}
    raise TypeError(f"no JSON Schema for {kind!r}")


def field_schema(spec: Field) -> dict:
    schema = json_schema(spec.kind)
    if spec.help:
        schema["description"] = spec.help
    if spec.default is not None:
        schema["default"] = spec.default
    if not spec.required and "type" in schema:  # a key written but left empty counts as left out
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = [*types, "null"]
    return schema


def schema_line(document: str, depth: int) -> str:
    """The first line of a YAML file, naming its schema: `depth` folders below the site folder."""
    return f"# yaml-language-server: $schema={'../' * depth}{FOLDER}/{document}\n"


def write_schemas(root: Path) -> Path:
    """Writes (or refreshes, for this generator's version) the schemas into <root>/.schemas/."""
    folder = root / FOLDER
    if folder.is_symlink():  # it would lead the writes out of the site
        raise OSError(errno.ELOOP, "a link, not a folder: the schemas are written only into a folder of the "
                      "site's own; remove the link", str(folder))
    folder.mkdir(exist_ok=True)
    for document in documents():
        text = json.dumps(document_schema(document), indent=2, ensure_ascii=False) + "\n"
        target = folder / document.name
        temp = folder / f".{document.name}.new-{os.getpid()}"
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, target)  # replaces a link there rather than writing through it
    return folder
