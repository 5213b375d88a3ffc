"""The OpenAPI 3.1 description served at /openapi.json (written out, not generated, so it
says exactly what the routes in `api.app` accept and answer; a test checks both agree)."""

from __future__ import annotations

from typing import Any

from api.params import DEFAULT_PAGE, MAX_PAGE, MAX_PERIOD_DAYS, MAX_VALUE_CHARS
from storage.api_queries import AGGREGATE_KEYS


def _query(name: str, description: str, schema: dict[str, Any] | None = None,
           repeat: bool = False) -> dict[str, Any]:
    base = schema or {"type": "string", "maxLength": MAX_VALUE_CHARS}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "array", "items": base} if repeat else base,
            **({"style": "form", "explode": True} if repeat else {})}


_FILTERS = [
    _query("since", "Eerste dag (YYYY-MM-DD, UTC), inclusief.", {"type": "string",
           "format": "date"}),
    _query("until", "Laatste dag (YYYY-MM-DD, UTC), inclusief.", {"type": "string",
           "format": "date"}),
    _query("source", "Bron-id; herhaal voor meer.", repeat=True),
    _query("kind", "Soort bron.", {"type": "string", "enum": ["news", "social", "official"]},
           repeat=True),
    _query("sentiment", "Effectief sentiment (een correctie gaat voor).",
           {"type": "string", "enum": ["negatief", "neutraal", "positief"]}, repeat=True),
    _query("topic", "Onderwerp (slug).", repeat=True),
    _query("watch", "Projectnaam.", repeat=True),
    _query("place", "CBS-code van wijk of buurt.", repeat=True),
    _query("tag", "Label dat een adviseur gaf.", repeat=True),
    _query("q", "Zoekwoorden in titel en tekst (zoals in het dashboard)."),
]
_ERROR = {"$ref": "#/components/schemas/Error"}
_ERRORS = {
    str(code): {"description": text, "content": {"application/json": {"schema": _ERROR}}}
    for code, text in ((400, "Ongeldige parameter"), (401, "Geen, onbekend, verlopen of "
                       "ingetrokken token"), (403, "Buiten je bereik"), (404, "Niet gevonden"),
                       (429, "Te veel verzoeken; zie Retry-After"),
                       (503, "Database even niet bereikbaar; zie Retry-After"))
}
_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_NUM = {"type": ["number", "null"]}
_DOCUMENT = {
    "type": "object",
    "required": ["id", "source_id", "kind", "url", "title", "label", "model_label"],
    "properties": {
        "id": {"type": "string"}, "source_id": {"type": "string"},
        "source_name": _NULLABLE_STR, "kind": {"type": "string"}, "url": {"type": "string"},
        "title": {"type": "string", "description": "Onbetrouwbare tekst van de bron."},
        "published": _NULLABLE_STR, "first_seen": _NULLABLE_STR, "language": _NULLABLE_STR,
        "syndication_group": _NULLABLE_STR, "fictional": {"type": "integer"},
        "label": {**_NULLABLE_STR, "description": "Effectief sentiment: correctie > regel > "
                  "model."},
        "p_neg": _NULLABLE_NUM, "p_neu": _NULLABLE_NUM, "p_pos": _NULLABLE_NUM,
        "model_label": {**_NULLABLE_STR, "description": "Wat het model zei."},
        "model_p_neg": _NULLABLE_NUM, "model_p_neu": _NULLABLE_NUM, "model_p_pos": _NULLABLE_NUM,
        "corrected_by": {**_NULLABLE_STR, "description": "correction, rule of null (model)."},
        "corrected_rule_id": {"type": ["integer", "null"]},
        "model_name": _NULLABLE_STR, "model_version": _NULLABLE_STR,
    },
}
_COUNTS = {"documents": {"type": "integer"}, "negatief": {"type": "integer"},
           "neutraal": {"type": "integer"}, "positief": {"type": "integer"}}


def _ok(schema: dict[str, Any], description: str = "Gelukt") -> dict[str, Any]:
    return {"200": {"description": description,
                    "content": {"application/json": {"schema": schema}}}, **_ERRORS}


def openapi_document() -> dict[str, Any]:
    """The whole description as a dict (served as JSON)."""
    page = {"type": "object", "required": ["data", "limit", "next"], "properties": {
        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
        "limit": {"type": "integer"}, "next": {**_NULLABLE_STR, "description": "Pad van de "
                                               "volgende pagina (ook in de Link-header)."}}}
    secured: list[dict[str, list[str]]] = [{"token": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "newsroom API", "version": "1",
                 "description": "Alleen lezen: berichten met sentiment, tellingen en "
                                "incidenten. Elk verzoek heeft een token nodig "
                                "(`newsroom api token create`)."},
        "servers": [{"url": "/"}],
        "security": secured,
        "paths": {
            "/v1/me": {"get": {"operationId": "me", "summary": "Wie ben ik (gebruiker, rol)",
                               "responses": _ok({"type": "object"})}},
            "/v1/documents": {"get": {
                "operationId": "listDocuments", "summary": "Berichten, nieuwste eerst",
                "parameters": [*_FILTERS,
                               _query("limit", f"Pagina-grootte (standaard {DEFAULT_PAGE}).",
                                      {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
                               _query("cursor", "Uit 'next' van de vorige pagina.")],
                "responses": _ok(page)}},
            "/v1/documents/{document_id}": {"get": {
                "operationId": "getDocument", "summary": "Eén bericht met tekst",
                "parameters": [{"name": "document_id", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": _ok({"type": "object", "properties": {
                    "data": {"$ref": "#/components/schemas/Document"}}})}},
            "/v1/aggregates/{by}": {"get": {
                "operationId": "aggregates",
                "summary": f"Tellingen per dag, onderwerp, project of plaats (periode hoogstens "
                           f"{MAX_PERIOD_DAYS} dagen, standaard de laatste 30)",
                "parameters": [{"name": "by", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": list(AGGREGATE_KEYS)}},
                               *_FILTERS],
                "responses": _ok({"type": "object", "properties": {
                    "by": {"type": "string"}, "since": _NULLABLE_STR, "until": _NULLABLE_STR,
                    "data": {"type": "array", "items": {"type": "object",
                                                        "properties": _COUNTS}}}})}},
            "/v1/incidents": {"get": {
                "operationId": "listIncidents", "summary": "Incidenten, nieuwste eerst",
                "parameters": [_query("limit", "Hoeveel (standaard 50).",
                                      {"type": "integer", "minimum": 1, "maximum": 200})],
                "responses": _ok({"type": "object", "properties": {
                    "data": {"type": "array", "items": {"type": "object"}}}})}},
            "/openapi.json": {"get": {"operationId": "openapi", "security": [],
                                      "summary": "Deze beschrijving",
                                      "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Document": _DOCUMENT,
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"},
                                   "message": {"type": "string"}}}}},
            },
        },
    }
