"""A variant: a named rendering of a truth, and the helpers every catalogue builds with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import form as f
from .text_writers import tabs, text_document
from .transforms import FormChange, traditional

Rendered = tuple[bytes, str]


@dataclass(frozen=True)
class Variant:
    """A named rendering; `family` groups variants for the matrix and the report."""

    name: str
    family: str
    render: Callable[[dict[str, Any]], bytes]
    suffix: str

    def __call__(self, truth: dict[str, Any], stem: str) -> Rendered:
        return self.render(truth), f"{stem}-{self.name}{self.suffix}"


def same(form: f.Form) -> f.Form:
    return form


def build_form(
    truth: dict[str, Any], change: FormChange = same, null: str = ""
) -> f.Form:
    return change(f.build(truth, null_text=null))


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


def tsv(form: f.Form, **kw: Any) -> str:
    return text_document(form, tabs, **kw)


def variant(
    name: str,
    family: str,
    render: Callable[[dict[str, Any]], bytes],
    suffix: str = ".txt",
) -> Variant:
    return Variant(name, family, render, suffix)


def text_variant(
    name: str,
    family: str,
    write: Callable[[f.Form], str],
    change: FormChange = same,
    null: str = "",
    encode: Callable[[str], bytes] = utf8,
    suffix: str = ".txt",
) -> Variant:
    return variant(
        name, family, lambda t: encode(write(build_form(t, change, null))), suffix
    )


def s2t_form(form: f.Form) -> f.Form:
    return f.map_text(form, traditional)
