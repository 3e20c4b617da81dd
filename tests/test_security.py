"""Web app security: tokens with roles (401/403), the login cookie, CSRF with auth, escaping of
every piece of article text, CSP on every answer, no path traversal, request size limits.
Invented names and hostile text only; the store is filled with hand-made extractions."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

import anyio
import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from sabueso.cli import app as cli  # noqa: E402
from sabueso.core import Claim, Document, Entity, Extraction, Mention  # noqa: E402
from sabueso.store import Store  # noqa: E402
from sabueso.web import create_app  # noqa: E402
from sabueso.web.auth import (AuthConfigError, Tokens, load_tokens, parse_spec,  # noqa: E402
                              required_role)

X = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>"
READER, EDITOR, ADMIN = "reader-token-0123456789", "editor-token-0123456789", "admin-tok-0123456789"
S1 = f"Los Halcones {X} is a criminal gang based in Puerto Niebla."
S2 = f"The gang is led by Ramiro Vellano, alias {X}, according to {X} sources."
TEXT = f"{S1}\n\n{S2}"


def hostile_extraction() -> Extraction:
    doc = Document(text=TEXT, title=f"Title {X}", publisher=f"Pub {X}", url=f"javascript:{X}",
                   published=f"2024 {X}", path=f"/tmp/{X}.txt")
    ents = [Entity("e1", "CriminalGroup", f"Los Halcones {X}", [f"Halcones {X}"]),
            Entity("e2", "Person", "Ramiro Vellano", [X]), Entity("e3", "Place", "Puerto Niebla")]
    s2 = TEXT.index(S2)
    return Extraction(doc, ents, [Mention(0, len(f"Los Halcones {X}"), f"Los Halcones {X}",
                                          "CriminalGroup", "e1")],
                      [Claim("BASED_IN", "e1", "e3", S1, 0, len(S1)),
                       Claim("LEADER_OF", "e2", "e1", S2, s2, s2 + len(S2), modality="reported",
                             attributed_to=f"{X} sources"),
                       Claim("ACTIVITY", "e1", f"extortion {X}", S1, 0, len(S1), modality="hedged")])


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "sec.db"
    with Store.open(path) as s:
        s.save_extraction(hostile_extraction())
    return str(path)


@pytest.fixture
def secured(db):
    tokens = Tokens([parse_spec(f"reader:{READER}"), parse_spec(f"editor:{EDITOR}:Ana Editora"),
                     parse_spec(f"admin:{ADMIN}")])
    with TestClient(create_app(db, auth=tokens)) as c:
        yield c


@pytest.fixture
def open_client(db):
    with TestClient(create_app(db, reviewer="")) as c:
        yield c


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def ids(client, headers=None) -> tuple[str, str, str]:
    ents = client.get("/api/entities", headers=headers).json()["items"]
    group = next(e["id"] for e in ents if e["type"] == "CriminalGroup")
    claim = client.get(f"/api/entities/{group}", headers=headers).json()["claims"][0]
    return group, claim["id"], claim["doc_id"]


# -- configuration ------------------------------------------------------------------------------
def test_token_specs_files_and_env(tmp_path, monkeypatch) -> None:
    assert parse_spec(f"Editor:{EDITOR}:Ana  Editora") == ("editor", EDITOR, "Ana Editora")
    for bad in (f"boss:{EDITOR}", "reader:short", f"reader:{EDITOR} x", "reader"):
        with pytest.raises(AuthConfigError):
            parse_spec(bad)
    f = tmp_path / "tokens"
    f.write_text(f"# who may read\nreader:{READER}\n\nadmin:{ADMIN}:Root\n")
    tokens = load_tokens(f, [f"editor:{EDITOR}"], env=f"reader:{READER}x, reader:{READER}y")
    assert len(tokens) == 5 and tokens.roles() == ["reader", "editor", "admin"]
    assert tokens.check(ADMIN).name == "Root" and tokens.check("nope") is None
    assert load_tokens(None, [], "") is None
    with pytest.raises(AuthConfigError):
        load_tokens(None, [f"reader:{READER}", f"admin:{READER}"])     # the same token twice
    f.write_text("reader:tooshort\n")
    r = CliRunner().invoke(cli, ["serve", "--auth", str(f), "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 2 and f"{f}:1" in r.stderr and "16 characters" in r.stderr
    monkeypatch.setenv("SABUESO_TOKENS", "janitor:" + "z" * 20)
    r = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 2 and "unknown role 'janitor'" in r.stderr


def test_required_roles() -> None:
    assert required_role("GET", "/static/css/app.css") is None and required_role("POST", "/login") is None
    assert required_role("GET", "/entity/x") == "reader" and required_role("POST", "/review/merge") == "editor"
    assert required_role("POST", "/api/some/new/write") == "editor"     # closed by default
    assert required_role("POST", "/api/search/reindex") == "admin"


# -- roles -------------------------------------------------------------------------------------
def test_no_token_gets_401_on_api_and_login_redirect_on_pages(secured) -> None:
    for url in ("/api/stats", "/api/entities", "/openapi.json", "/api/nope", "/api/whoami"):
        r = secured.get(url)
        assert r.status_code == 401, url
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert "content-security-policy" in r.headers
    for url in ("/", "/entities", "/review", "/docs", "/document/x?start=1"):
        r = secured.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), url
    assert "next=%2Fdocument%2Fx%3Fstart%3D1" in r.headers["location"]
    assert secured.post("/review/merge", data={"a": "x", "b": "y"}).status_code == 401
    assert secured.get("/api/stats", headers=bearer("wrong-token-0123456789")).status_code == 401
    assert secured.get("/api/stats", headers={"Authorization": f"Basic {READER}"}).status_code == 401
    assert secured.get("/static/css/app.css").status_code == 200
    assert secured.get("/login").status_code == 200


def test_reader_reads_but_cannot_review_merge_or_reindex(secured) -> None:
    h = bearer(READER)
    assert secured.get("/api/whoami", headers=h).json() == {"role": "reader", "name": None,
                                                           "auth": True}
    group, claim, doc = ids(secured, h)
    for url in ("/", f"/entity/{group}", f"/document/{doc}", "/review", "/search?q=niebla"):
        assert secured.get(url, headers=h).status_code == 200, url
    r = secured.post(f"/api/claims/{claim}/review", headers=h,
                     json={"action": "reject", "reviewer": "Mallory"})
    assert r.status_code == 403 and "editor" in r.json()["detail"]
    assert secured.post("/api/entities/merge", headers=h,
                        json={"a": group, "b": "x", "reviewer": "M"}).status_code == 403
    assert secured.post("/api/search/reindex", headers=h, json={}).status_code == 403
    review = secured.get("/review", headers=h).text
    assert "review-form" not in review and "/review/undo/" not in review    # nothing to click
    csrf = re.search(r'name="csrf" value="([^"]+)"', secured.get("/logout", headers=h).text)[1]
    r = secured.post(f"/review/claims/{claim}", headers=h,
                     data={"action": "reject", "reviewer": "M", "csrf": csrf})
    assert r.status_code == 403 and "editor role" in r.text
    assert secured.get(f"/api/claims/{claim}", headers=h).json()["review"] is None


def test_editor_reviews_under_the_token_name_admin_maintains(secured, db) -> None:
    h = bearer(EDITOR)
    group, claim, _ = ids(secured, h)
    r = secured.post(f"/api/claims/{claim}/review", headers=h,
                     json={"action": "confirm", "reviewer": "Somebody Else"})
    assert r.status_code == 200 and r.json()["reviewer"] == "Ana Editora"
    assert secured.post("/api/search/reindex", headers=h, json={}).status_code == 403
    assert secured.get("/api/admin/check", headers=h).status_code == 403
    a = bearer(ADMIN)
    assert secured.post("/api/search/reindex", headers=a, json={}).status_code == 200
    report = secured.get("/api/admin/check", headers=a).json()
    assert report["ok"] and "orphans" in report["checks"]
    with Store.open(db) as s:
        assert [j["reviewer"] for j in s.judgements()] == ["Ana Editora"]


# -- login cookie and CSRF --------------------------------------------------------------------
def login(client, token: str, next_: str = "/review"):
    page = client.get(f"/login?next={next_}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    return client.post("/login", data={"token": token, "csrf": csrf, "next": next_},
                       follow_redirects=False)


def test_login_sets_httponly_cookie_and_csrf_is_bound_to_it(db) -> None:
    tokens = Tokens([parse_spec(f"reader:{READER}"), parse_spec(f"editor:{EDITOR}")])
    application = create_app(db, auth=tokens)
    with TestClient(application) as editor, TestClient(application) as reader:
        assert login(editor, "not-the-token-0123456789").status_code == 401
        r = login(editor, EDITOR)
        assert r.status_code == 303 and r.headers["location"] == "/review"
        cookie = r.headers["set-cookie"]
        assert "sabueso_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert EDITOR not in cookie                                  # signed, not the token
        assert login(reader, READER, "//evil.example/").headers["location"] == "/"
        group, claim, _ = ids(editor)
        page_token = lambda c: re.search(r'name="csrf" value="([^"]+)"', c.get("/logout").text)[1]
        mine, theirs = page_token(editor), page_token(reader)
        assert mine != theirs and mine != application.state.web.csrf
        form = {"action": "confirm", "reviewer": "Ana"}
        for forged in (theirs, application.state.web.csrf, ""):       # someone else's token
            assert editor.post(f"/review/claims/{claim}", data={**form, "csrf": forged}).status_code == 403
        r = editor.post(f"/review/claims/{claim}", data={**form, "csrf": mine},
                        follow_redirects=False)
        assert r.status_code == 303
        r = editor.post(f"/review/claims/{claim}", data={**form, "csrf": mine},
                        headers={"Origin": "http://evil.example"})
        assert r.status_code == 403
        session = editor.cookies["sabueso_session"]
        editor.cookies.clear()
        editor.cookies.set("sabueso_session", session[:-2] + ("00" if session[-2:] != "00" else "11"))
        assert editor.get("/review", follow_redirects=False).status_code == 303   # tampered
        r = login(editor, EDITOR)
        r = editor.post("/logout", data={"csrf": page_token(editor)}, follow_redirects=False)
        assert r.status_code == 303 and 'sabueso_session=""' in r.headers["set-cookie"]
    user = tokens.check(EDITOR)
    assert tokens.from_session(tokens.session(user, now=0), now=10) == user
    assert tokens.from_session(tokens.session(user, now=0), now=13 * 3600) is None  # expired
    assert Tokens([parse_spec(f"editor:{EDITOR}")]).from_session(tokens.session(user)) is None


# -- escaping and CSP ---------------------------------------------------------------------------
class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_every_piece_of_article_text_is_escaped(open_client) -> None:
    c = open_client
    group, claim, doc = ids(c)
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/review").text)[1]
    c.post(f"/review/claims/{claim}", data={"action": "reject", "reviewer": f"Rev {X}",
                                            "note": f"note {X}", "csrf": csrf})
    c.post("/review/reviewer", data={"reviewer": f"Cookie {X}", "csrf": csrf})
    for url in ("/", "/entities", f"/entity/{group}", f"/document/{doc}", f"/document/{doc}"
                f"?claim={claim}", "/documents", "/review?status=all", "/search?q=halcones",
                f"/search?q={X}", f"/entity/{X}", f"/document/{X}", f"/login?next=/{X}", "/docs"):
        r = c.get(url)
        tags = Tags(r.text).found
        assert not [t for t, _ in tags if t in ("img", "svg")], url
        assert not [(t, k) for t, a in tags for k in a if k.startswith("on")], url
        assert all(a.get("src", "").startswith("/static/") for t, a in tags if t == "script"), url
        assert "<script>alert" not in r.text and "javascript:" not in r.text, url
        assert r.headers["content-security-policy"].startswith("default-src 'none'"), url


def test_csp_and_headers_on_every_kind_of_answer(db, secured) -> None:
    answers = [secured.get("/api/stats"), secured.get("/", follow_redirects=False),
               secured.get("/login"),
               secured.get("/api/stats", headers=bearer(READER)),
               secured.get("/static/css/app.css"), secured.get("/static/nope.css"),
               secured.post("/api/search/reindex", headers=bearer(READER), json={}),
               secured.get("/entity/nope", headers=bearer(READER)),
               secured.post("/api/claims/x/review", headers={**bearer(EDITOR),
                            "Content-Type": "application/json"}, content=b"x" * (2 << 20))]
    with TestClient(create_app(db, allowed_hosts=("127.0.0.1",))) as c:
        answers.append(c.get("/api/stats"))                          # bad Host header
    store = Store.open(db)
    broken = create_app(store=store)
    broken.state.web.store = None                                    # every read fails: 500
    with TestClient(broken, raise_server_exceptions=False) as c:
        answers.append(c.get("/api/stats"))
    store.close()
    statuses = [r.status_code for r in answers]
    assert statuses == [401, 303, 200, 200, 200, 404, 403, 404, 413, 400, 500]
    for r in answers:
        assert "unsafe-inline" not in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


# -- path traversal -----------------------------------------------------------------------------
def raw_request(app, method: str, raw: str, headers=(), chunks=(b"",)):
    """Call the ASGI app with an exact raw path (no client-side normalisation)."""
    async def run():
        queue = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
                 for i, c in enumerate(chunks)]
        sent = []

        async def receive():
            if queue:
                return queue.pop(0)
            await anyio.sleep_forever()          # the client stays until the answer is sent

        async def send(message):
            sent.append(message)
        path, _, query = raw.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "scheme": "http", "path": unquote(path),
                 "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
                 "headers": [(b"host", b"testserver"), *headers],
                 "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        return start["status"], b"".join(m.get("body", b"") for m in sent
                                         if m["type"] == "http.response.body")
    return anyio.run(run)


TRAVERSAL = ["/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
             "/static/css/../../app.py", "/static/css/..%2f..%2fapp.py", "/static/..%5capp.py",
             "/static/%2e%2e%2f%2e%2e%2fweb%2fapp.py", "/static//etc/passwd",
             "/static/%2fetc%2fpasswd", "/static/....//....//etc/passwd",
             "/document/..%2f..%2f..%2fetc%2fpasswd", "/document/../../etc/passwd",
             "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/documents/..%252f..%252fetc",
             "/entity/..%2F..%2Fetc%2Fpasswd", "/api/entities/..%2f..%2fetc%2fpasswd/graph",
             "/document/%00../../etc/passwd", "/static/../../../../../../etc/passwd"]


def test_no_path_traversal(db) -> None:
    application = create_app(db)
    status, body = raw_request(application, "GET", "/static/css/app.css")
    assert status == 200 and body                                      # the helper works
    for path in TRAVERSAL:
        status, body = raw_request(application, "GET", path)
        assert status in (400, 404, 405), (path, status)
        assert b"root:" not in body and b"create_app" not in body and b"import " not in body, path


# -- request size -------------------------------------------------------------------------------
def test_request_bodies_are_limited(open_client, db) -> None:
    c = open_client
    _, claim, _ = ids(c)
    big = b'{"action": "confirm", "reviewer": "' + b"a" * (1 << 20) + b'"}'
    r = c.post(f"/api/claims/{claim}/review", content=big,
               headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    r = c.post(f"/review/claims/{claim}", data={"action": "confirm", "note": "n" * (2 << 20)})
    assert r.status_code == 413
    application = create_app(db)                                       # chunked, no length
    json_ct = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]
    status, _ = raw_request(application, "POST", f"/api/claims/{claim}/review", json_ct,
                            chunks=[b"x" * 300_000] * 4)
    assert status == 413
    status, _ = raw_request(application, "POST", "/api/entities/merge",
                            [(b"content-type", b"application/json"), (b"content-length", b"12x")])
    assert status == 400
    status, body = raw_request(application, "POST", f"/api/claims/{claim}/review", json_ct,
                               chunks=[b'{"action": "confirm", ', b'"reviewer": "Ana"}'])
    assert status == 200 and b'"confirmed"' in body                     # small ones still work
    r = c.post("/api/entities/merge", json={"a": "x", "b": "y", "reviewer": "A", "note": "n" * 900_000})
    assert r.status_code == 422                                        # under 1 MB: validated


def test_review_buttons_only_for_editors(secured) -> None:
    group, _, _ = ids(secured, bearer(READER))
    as_reader = secured.get(f"/entity/{group}", headers=bearer(READER)).text
    as_editor = secured.get(f"/entity/{group}", headers=bearer(EDITOR)).text
    assert 'value="confirm"' not in as_reader and "Log out" in as_reader
    assert 'value="confirm"' in as_editor
