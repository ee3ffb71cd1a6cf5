"""Open311 answers as JSON or XML (the spec's element names), cacheable for a minute; errors
as the spec's list of ``{code, description}`` (``<errors><error>`` in XML), never cached."""

from collections.abc import Iterable, Mapping
from typing import Any
from xml.etree import ElementTree as ET

from flask import Response, json

FORMATS = ("json", "xml")
CACHE_SECONDS = 60
# The element of each item of a nested list, as the spec writes them.
XML_ITEMS = {"attributes": "attribute", "values": "value"}


class Failure(Exception):
    """A request the spec answers with an error: a bad parameter (400), nothing found (404)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def check_format(response_format: str) -> str:
    if response_format not in FORMATS:
        raise Failure(404, f"Unknown format '.{response_format[:20]}': use .json or .xml.")
    return response_format


def answer(body: Any, response_format: str, *, root: str, item: str | None = None) -> Response:
    """``body`` (a list of rows with ``item``, or one row) in the format asked for."""
    if response_format == "xml":
        element = ET.Element(root)
        if item is None:
            _fill(element, body)
        else:
            for row in body:
                _fill(ET.SubElement(element, item), row)
        payload = ET.tostring(element, encoding="utf-8", xml_declaration=True)
        response = Response(payload, mimetype="text/xml")
    else:
        response = Response(json.dumps(body), mimetype="application/json")
    # Public data that changes slowly: clients and proxies may keep it a minute.
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.vary.add("Accept-Language")
    return response


def errors_response(status: int, description: str, response_format: str) -> Response:
    rows = [{"code": status, "description": description}]
    response = answer(rows, response_format, root="errors", item="error")
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _fill(element: ET.Element, row: Mapping[str, Any]) -> None:
    for name, value in row.items():
        child = ET.SubElement(element, name)
        if isinstance(value, list):
            _fill_list(child, XML_ITEMS[name], value)
        else:
            child.text = _text(value)


def _fill_list(element: ET.Element, item: str, rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        _fill(ET.SubElement(element, item), row)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
