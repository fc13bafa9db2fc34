"""XML read without a DTD: a document that declares one is refused before a single entity is defined.

Every XML bomb needs a DTD, the entity-expansion kind ("billion laughs") and the external-entity kind
(`<!ENTITY x SYSTEM "file:///etc/passwd">`) alike, and a diagram file never needs one. The standard library's
expat is driven by hand here, as defusedxml does, so the refusal happens at the declaration, not after it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from simulator.diagrams.diagram import DiagramError, PartialDiagram


_CUT_SHORT = {expat.errors.codes[m] for m in (expat.errors.XML_ERROR_NO_ELEMENTS, expat.errors.XML_ERROR_UNCLOSED_TOKEN,
                                               expat.errors.XML_ERROR_PARTIAL_CHAR)}


class _Refused(Exception):
    pass


def parse_xml(text: str, name: str) -> ET.Element:
    """The document's root element; DiagramError for a DTD, PartialDiagram for a document cut short."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = lambda tag, attrs: builder.start(tag, attrs)
    parser.EndElementHandler = lambda tag: builder.end(tag)
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
        return builder.close()
    except _Refused:
        raise DiagramError(f"{name} declares a DTD (<!DOCTYPE ...>), which diagram files never need and which "
                           "can hide entity tricks; it is not read. Save the drawing again from its tool.") from None
    except expat.ExpatError as exc:
        if exc.code in _CUT_SHORT:
            raise PartialDiagram(f"{name} ends in the middle of its XML (a save still being written?).") from None
        raise DiagramError(f"{name} is not well-formed XML ({expat.errors.messages[exc.code]} at line "
                           f"{exc.lineno}); save it again from its tool.") from None
    except AssertionError:  # the tree builder's own check on unbalanced tags
        raise PartialDiagram(f"{name} ends in the middle of its XML (a save still being written?).") from None
