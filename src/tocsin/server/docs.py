"""`/api/docs`: the API described on one plain HTML page, offline.

FastAPI's own Swagger UI and ReDoc pages load their JavaScript from a CDN,
which an offline machine cannot reach and the server's Content-Security-Policy
(script-src 'self') forbids. This page is rendered on the server from the
same OpenAPI document served at /api/openapi.json: no script, no inline
style, every string escaped.
"""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter()


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    bounds = [f"{key} {schema[key]}" for key in ("minimum", "maximum", "maxLength") if key in schema]
    return schema.get("type", "value") + (f" ({', '.join(bounds)})" if bounds else "")


def render(spec: dict) -> str:
    info = spec.get("info", {})
    out = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{escape(info.get('title', 'API'))}</title></head><body>",
           f"<h1>{escape(info.get('title', 'API'))} {escape(info.get('version', ''))}</h1>",
           f"<p>{escape(info.get('description', ''))}</p>",
           '<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3).</p>']
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            out.append(f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>")
            out.append(f"<p>{escape(op.get('summary', ''))}</p>")
            parameters = op.get("parameters", [])
            if parameters:
                out.append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>default</th>"
                           "<th>description</th></tr>")
                for p in parameters:
                    schema = p.get("schema", {})
                    default = schema.get("default", "")
                    out.append(f"<tr><td><code>{escape(p['name'])}</code>{' (required)' if p.get('required') else ''}"
                               f"</td><td>{escape(p.get('in', ''))}</td><td>{escape(_type(schema))}</td>"
                               f"<td>{escape(str(default))}</td><td>{escape(p.get('description', ''))}</td></tr>")
                out.append("</table>")
            if "requestBody" in op:
                out.append("<p>Body (Content-Type: application/json): one article object or "
                           "<code>{\"articles\": [...]}</code>. An article: <code>text</code> (required), "
                           "<code>id</code>, <code>title</code>, <code>url</code>, <code>outlet</code>, "
                           "<code>published</code> (YYYY-MM-DD).</p>")
    out.append("</body></html>")
    return "\n".join(out)


@router.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))
