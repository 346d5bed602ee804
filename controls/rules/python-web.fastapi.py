# Tests for python-web.yaml: a FastAPI application (typed path and query parameters).
import contextlib
from typing import Optional

import httpx
from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from sqlalchemy import text

# ruleid: python.framework-debug-enabled
app = FastAPI(debug=True)
# ok: python.framework-debug-enabled
internal = FastAPI(debug=False)


@app.get("/files/{name}")
async def get_file(name: str):
    # ruleid: python.path-traversal-from-request
    return FileResponse("/srv/files/" + name)


@app.get("/items/{item_id}")
async def get_item(item_id: int):
    # an int path parameter is validated before the function runs
    # ok: python.path-traversal-from-request
    return FileResponse(f"/srv/items/{item_id}.json")


@app.get("/search")
def search(q: Optional[str] = None, db=None):
    # ruleid: python.sql-injection-from-request
    query = text("SELECT * FROM items WHERE name LIKE '%" + q + "%'")
    return db.execute(query).all()


@app.get("/search-inline")
def search_inline(q: str = "", db=None):
    # python.sql-string-formatting (python-security.yaml) reports this one
    # ok: python.sql-injection-from-request
    return db.execute(text("SELECT * FROM items WHERE name LIKE '%" + q + "%'")).all()


@app.get("/search-bound")
def search_bound(q: str = "", db=None):
    # ok: python.sql-injection-from-request
    return db.execute(text("SELECT * FROM items WHERE name LIKE :q"), {"q": f"%{q}%"}).all()


@app.get("/hello")
async def hello(name: str = "world"):
    # ruleid: python.xss-from-request
    return HTMLResponse(f"<h1>Hello {name}</h1>")


@app.get("/go")
async def go(to: str):
    # ruleid: python.open-redirect-from-request
    return RedirectResponse(to)


@app.get("/preview")
async def preview(url: str):
    async with httpx.AsyncClient() as client:
        # ruleid: python.ssrf-from-request
        r = await client.get(url)
    return {"status": r.status_code}


@contextlib.contextmanager
def atomic_write(filename: str):
    # a context manager, not a route: its parameters are the caller's values
    # ok: python.path-traversal-from-request
    with open(filename + ".tmp", "w") as f:
        yield f
