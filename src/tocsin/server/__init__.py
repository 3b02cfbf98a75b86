"""The HTTP face of tocsin: `tocsin serve` runs `create_app(db)` on uvicorn.

  app.py         create_app: routes, middleware, static dashboard, lifespan
  api.py         the JSON routes under /api
  owner.py       the store held by the server: a cursor a read, one ingest at a time
  reads.py       the paged queries the API needs (parametrised SQL)
  params.py      query values: lists, dates, codes
  articles.py    the body of POST /api/articles
  errors.py      the one error shape, {"error": {"status", "code", "message"}}
  middleware.py  security headers, body cap, Host check, 500s
  docs.py        /api/docs, an offline page from the OpenAPI document
  watch.py       --watch: polling feeds in the background
"""
from .app import create_app
from .watch import Watch

__all__ = ["Watch", "create_app"]
