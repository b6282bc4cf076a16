"""Parse XML returns safely: no DTDs, no entity expansion, no network.

Statutory returns never need a DOCTYPE, so any document that declares one (the carrier of
'billion laughs' entity bombs and external-entity attacks) is refused outright, before any entity
could be expanded; the parser is also configured never to resolve entities or fetch anything.
"""

from __future__ import annotations

import re

from lxml import etree

from careboard.returns.issues import Issue, ReturnError
from careboard.returns.raw import SourceFile

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(file: SourceFile) -> etree._Element:
    """The root element of ``file``, or ReturnError naming the line and what is wrong."""
    data = file.data
    if not data.strip():
        raise ReturnError([Issue(file.name, "the file is empty", expected="an XML return")])
    match = _DOCTYPE.search(data)
    if match:
        line = data.count(b"\n", 0, match.start()) + 1
        raise ReturnError(
            [
                Issue(
                    file.name,
                    "the XML declares a DOCTYPE or entities, which careboard refuses for safety "
                    "(entity expansion and external entities); statutory returns never need one",
                    row=None,
                    line=line,
                    value=data[match.start() : match.start() + 40].decode("utf-8", "replace"),
                    expected="an XML return without <!DOCTYPE> or <!ENTITY>",
                )
            ]
        )
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if getattr(exc, "lineno", None) else None
        column = exc.position[1] if getattr(exc, "position", None) else None
        where = f" at column {column}" if column else ""
        raise ReturnError(
            [
                Issue(
                    file.name,
                    f"the file is not well-formed XML{where}: {exc.msg}",
                    line=line,
                    expected="well-formed XML",
                )
            ]
        ) from None
    if root is None:
        raise ReturnError([Issue(file.name, "the file holds no XML element", expected="an XML return")])
    return root


def local_name(element: etree._Element) -> str:
    """Tag without any namespace: '{urn:x}Child' -> 'Child'."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
