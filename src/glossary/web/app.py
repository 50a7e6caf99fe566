"""The workbench as a Flask application: access checks, pages and a JSON API.

Access (every request, static files included):

- Host: the Host header must name this server (127.0.0.1, localhost or
  [::1] with its port, or the `--host` given), so a DNS-rebinding page
  that points its own name at 127.0.0.1 is refused.
- Origin: a request that carries an Origin other than this server's, or that
  the browser marks cross-site (Sec-Fetch-Site), is refused.
- Token: the random token of the printed URL, from the `token` query
  parameter (the page then sets it as an HttpOnly, SameSite=Strict cookie
  and drops it from the address), the cookie, or the X-Glossary-Token
  header. A request without it gets a page that says so and shows no data.
  A POST must also carry the token itself (form field `_token` or the
  header), not only the cookie.

Pages are server-rendered HTML (Jinja2 escapes every value); a little
JavaScript (`static/app.js`) adds the review keys, live validation and
decisions without reloading. The JSON API under /api/ offers every action
the pages have. Both call `glossary.web.workbench`; a library error is
answered with its message (and status 400, 404, 409 or 422), any other
exception with a short message and its traceback on the server's stderr,
never in the page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hmac
from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from glossary import concordance as cc
from glossary.errors import (
    ConcurrentEdit,
    DuplicateTerm,
    FileProblems,
    GlossaryError,
    InvalidValue,
    UnknownTerm,
)
from glossary.mining import review as rv
from glossary.mining.candidates import Candidate
from glossary.termbase.model import PARTS_OF_SPEECH, STATUSES, Concept

from . import lookups
from .workbench import (
    FORM_FIELDS,
    PAGE_SIZE,
    FieldProblem,
    Workbench,
    concept_version,
    form_values,
    highlight,
    normalized,
    rebase,
    split_list,
)

TOKEN_HEADER: Final = "X-Glossary-Token"
TOKEN_FIELD: Final = "_token"
LOCAL_NAMES: Final = ("127.0.0.1", "localhost", "[::1]")
UNIT_SUFFIXES: Final = (".po", ".pot", ".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".tmx", ".tsv")
PAIR_SUFFIXES: Final = (".txt", ".md")
KWIC_WIDTH: Final = 60  # characters of context on each side of a match, as `--format tsv`
_YES: Final = ("1", "true", "yes", "on")
_NO: Final = ("", "0", "false", "no", "off")
_SAFE_METHODS: Final = frozenset(("GET", "HEAD", "OPTIONS"))
_STATUS_OF: Final[tuple[tuple[type[GlossaryError], int], ...]] = (
    (UnknownTerm, 404),
    (ConcurrentEdit, 409),
    (DuplicateTerm, 422),
    (InvalidValue, 422),
)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """Host header values that name this server."""
    names = set(LOCAL_NAMES)
    if host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::", ""):
        names.add(f"[{host}]" if ":" in host else host)
    if host in ("0.0.0.0", "::"):
        import socket

        hostname = socket.gethostname()
        names.update({hostname, socket.getfqdn()})
        with contextlib.suppress(OSError):
            names.update(socket.gethostbyname_ex(hostname)[2])
    return frozenset(f"{n}:{port}".lower() for n in names)


def create_app(
    bench: Workbench,
    *,
    token: str,
    hosts: Iterable[str] = ("localhost",),
    cookie: str = "glossary_token",
) -> Flask:
    """The workbench application. `hosts` are the Host header values accepted
    (set again by `glossary.web.server` once the port is known)."""
    app = Flask("glossary.web")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(
        GLOSSARY_TOKEN=token,
        GLOSSARY_HOSTS=frozenset(h.lower() for h in hosts),
        GLOSSARY_COOKIE=cookie,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.globals.update(
        statuses=STATUSES,
        parts_of_speech=PARTS_OF_SPEECH,
        highlight=highlight,
        candidate_key=rv.candidate_key,
        variant_forms=rv.variant_forms,
        similar=bench.similar,
        version_of=concept_version,
        page_size=PAGE_SIZE,
    )
    _access(app)
    _errors(app)
    _review_routes(app, bench)
    _termbase_routes(app, bench)
    _lookup_routes(app, bench)
    return app


# ------------------------------------------------------------------ access


def _valid(app: Flask, value: str | None) -> bool:
    return bool(value) and hmac.compare_digest(
        str(value).encode(), str(app.config["GLOSSARY_TOKEN"]).encode()
    )


def _wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.accept_mimetypes
    return accept.best == "application/json"


def _access(app: Flask) -> None:
    @app.before_request
    def check_access() -> Response | None:
        host = (request.headers.get("Host") or "").lower()
        if host not in app.config["GLOSSARY_HOSTS"]:
            return _refuse(
                400,
                f"This workbench does not answer to the host name {host or '(none)'!r}. "
                "Open it with the address 'glossary serve' printed.",
            )
        origin = request.headers.get("Origin")
        if (
            origin is not None
            and urlsplit(origin).netloc.lower() not in app.config["GLOSSARY_HOSTS"]
        ):
            return _refuse(403, f"Requests from {origin} are refused: another site cannot use it.")
        if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
            return _refuse(403, "Requests from other sites are refused.")
        query_token = request.args.get("token")
        if request.method in _SAFE_METHODS:
            if _valid(app, query_token):
                if request.path.startswith("/api/") or request.path.startswith("/static/"):
                    return None
                # Keep the token out of the address bar, history and page links.
                args = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
                target = request.path + (f"?{urlencode(args)}" if args else "")
                response = _see_other(target)
                response.set_cookie(
                    app.config["GLOSSARY_COOKIE"],
                    app.config["GLOSSARY_TOKEN"],
                    httponly=True,
                    samesite="Strict",
                    path="/",
                )
                return response
            if _valid(app, request.cookies.get(app.config["GLOSSARY_COOKIE"])) or _valid(
                app, request.headers.get(TOKEN_HEADER)
            ):
                return None
            return _denied()
        # A change must name the token itself: the cookie alone is not enough.
        sent = request.headers.get(TOKEN_HEADER) or request.form.get(TOKEN_FIELD)
        if _valid(app, sent):
            return None
        return _denied()

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = (
            "same-origin"  # "no-referrer" makes forms send Origin: null
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def token() -> dict[str, Any]:
        return {"token": app.config["GLOSSARY_TOKEN"], "token_field": TOKEN_FIELD}


def _refuse(status: int, message: str) -> Response:
    if _wants_json():
        response = jsonify(error=message)
    else:
        response = Response(render_template("refused.html", message=message), mimetype="text/html")
    response.status_code = status
    return response


def _see_other(url: str) -> Response:
    """A redirect after a form (or to drop the token from the address)."""
    response = Response(status=303)
    response.headers["Location"] = url
    return response


def _denied() -> Response:
    return _refuse(
        403,
        "This workbench needs its token. Open the address 'glossary serve' printed "
        "(it ends in ?token=...); start 'glossary serve' again for a new one.",
    )


# ------------------------------------------------------------------ errors


def _problems(exc: GlossaryError) -> list[dict[str, str]]:
    if isinstance(exc, FileProblems):
        return [{"field": p.column_name, "message": str(p), "hint": p.hint} for p in exc.problems]
    return []


def _errors(app: Flask) -> None:
    @app.errorhandler(GlossaryError)
    def library_error(exc: GlossaryError) -> Response:
        status = next((code for kind, code in _STATUS_OF if isinstance(exc, kind)), 400)
        return _error(status, str(exc), _problems(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        code = exc.code or 400
        messages = {
            404: f"No page {request.path}. Use the links at the top of the page.",
            405: f"{request.method} is not accepted at {request.path}.",
            413: "The request is too large.",
        }
        return _error(code, messages.get(code, exc.description or exc.name))

    @app.errorhandler(Exception)
    def bug(exc: Exception) -> Response:
        app.logger.exception("Internal error while answering %s %s", request.method, request.path)
        return _error(
            500,
            f"Internal error ({type(exc).__name__}); nothing more is shown here. The details "
            "are in the terminal where 'glossary serve' runs; please report them.",
        )


def _error(status: int, message: str, problems: list[dict[str, str]] | None = None) -> Response:
    if _wants_json():
        response = jsonify(error=message, problems=problems or [])
    else:
        page = render_template("error.html", status=status, message=message, problems=problems)
        response = Response(page, mimetype="text/html")
    response.status_code = status
    return response


# ------------------------------------------------------------------ request helpers


def _body() -> dict[str, Any]:
    """The request's fields: a JSON object, or the form."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise InvalidValue("The request body must be a JSON object.")
        return data
    return {k: (v if len(v) > 1 else v[0]) for k, v in request.form.lists() if k != TOKEN_FIELD}


def _text(data: Mapping[str, Any], name: str, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise InvalidValue(f"The field {name!r} must be text.")
    return value


def _texts(data: Mapping[str, Any], name: str) -> list[str]:
    value = data.get(name, [])
    if isinstance(value, str):
        value = [v for v in value.split("\n") if v.strip()] if value.strip() else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidValue(f"The field {name!r} must be a list of texts.")
    return [v.strip() for v in value]


def _fields(data: Mapping[str, Any]) -> dict[str, str]:
    fields = data.get("fields", data)
    if not isinstance(fields, Mapping):
        raise InvalidValue("'fields' must be an object of field names and texts.")
    out: dict[str, str] = {}
    for name in FORM_FIELDS:
        value = fields.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "yes" if value else ""
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = " | ".join(value)
        if not isinstance(value, str):
            raise InvalidValue(f"The field {name!r} must be text.")
        out[name] = value
    return out


def _flag(name: str) -> bool:
    """A yes/no query parameter (a ticked checkbox sends "1")."""
    raw = request.args.get(name, "").strip().lower()
    if raw in _NO:
        return False
    if raw in _YES:
        return True
    raise InvalidValue(f"{name!r} must be 1 (yes) or 0 (no), not {raw!r}.")


def _page_number() -> int:
    raw = request.args.get("page", "1")
    try:
        return max(1, int(raw))
    except ValueError:
        raise InvalidValue(f"Page {raw!r} is not a number.") from None


def candidate_dict(candidate: Candidate) -> dict[str, Any]:
    data = candidate.to_dict()
    data["key"] = rv.candidate_key(candidate)
    data["contexts"] = [
        {
            "ref": c.ref,
            "text": c.text,
            "highlights": [
                [start, start + len(piece)]
                for start, piece in _offsets(highlight(c.text, candidate.forms))
            ],
        }
        for c in candidate.contexts
    ]
    return data


def _offsets(pieces: list[tuple[str, bool]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    at = 0
    for text, marked in pieces:
        if marked:
            out.append((at, text))
        at += len(text)
    return out


def concept_dict(concept: Concept) -> dict[str, Any]:
    return {**concept.to_dict(), "version": concept_version(concept)}


# ------------------------------------------------------------------ review


def _review_routes(app: Flask, bench: Workbench) -> None:
    @app.get("/")
    def home() -> Response:
        return _see_other(url_for("review" if bench.candidates else "termbase"))

    @app.get("/review")
    def review() -> str:
        queue = bench.queue()
        state = bench.state()
        wanted = request.args.get("c", "")
        keys = [rv.candidate_key(c) for c in queue]
        current = queue[keys.index(wanted)] if wanted in keys else (queue[0] if queue else None)
        return render_template(
            "review.html",
            page="review",
            queue=queue,
            keys=keys,
            skipped=state.skipped,
            current=current,
            inputs=bench.inputs,
            mined=len(bench.candidates),
            message=request.args.get("done", ""),
        )

    @app.get("/review/item")
    def review_item() -> str:
        candidate = bench.candidate(request.args.get("c", ""))
        return render_template("review_item.html", current=candidate, queue=bench.queue())

    @app.post("/review/decide")
    def review_decide() -> Response:
        decided = _decide(bench, _body())
        if _wants_json():
            return _decided_json(decided)
        done = _decided_text(decided)
        return _see_other(url_for("review", c=decided.next_key, done=done))

    @app.get("/api/review")
    def api_review() -> Response:
        queue = bench.queue()
        return jsonify(
            left=len(queue),
            mined=len(bench.candidates),
            skipped=sorted(bench.state().skipped),
            candidates=[candidate_dict(c) for c in queue],
        )

    @app.get("/api/review/item")
    def api_review_item() -> Response:
        return jsonify(candidate_dict(bench.candidate(request.args.get("key", ""))))

    @app.post("/api/review/decide")
    def api_review_decide() -> Response:
        return _decided_json(_decide(bench, _body()))


def _decide(bench: Workbench, data: Mapping[str, Any]) -> Any:
    variants = data.get("variants")
    if variants is not None and not isinstance(variants, str):
        variants = " | ".join(_texts(data, "variants"))
    return bench.decide(
        _text(data, "key"),
        _text(data, "decision"),
        en=_text(data, "en"),
        nl=_text(data, "nl"),
        variants=variants,
        merge=[*_texts(data, "merge"), *split_list(_text(data, "merge_terms"))],
    )


def _decided_text(decided: Any) -> str:
    concept = decided.concept
    if concept is None:
        return f"Skipped; {decided.left} left."
    verb = "Approved" if concept.status == "approved" else "Rejected"
    return f"{verb} {concept.nl} → {concept.en or '-'} ({concept.id}); {decided.left} left."


def _decided_json(decided: Any) -> Response:
    return jsonify(
        decision=decided.decision,
        key=decided.key,
        concept=concept_dict(decided.concept) if decided.concept else None,
        left=decided.left,
        next=decided.next_key,
        message=_decided_text(decided),
    )


# ------------------------------------------------------------------ termbase


def _termbase_routes(app: Flask, bench: Workbench) -> None:
    @app.get("/termbase")
    def termbase() -> str:
        found = bench.search(
            request.args.get("q", ""), request.args.get("status", ""), _page_number()
        )
        return render_template("termbase.html", page="termbase", found=found)

    @app.get("/termbase/concept")
    def concept_page() -> str:
        concept = bench.concept(request.args.get("id", ""))
        return _concept_page(concept, form_values(concept), concept_version(concept))

    @app.post("/termbase/concept")
    def concept_save() -> Response | tuple[str, int]:
        data = _body()
        concept_id, version = _text(data, "id"), _text(data, "version")
        # A form leaves unticked boxes out: every field counts, a missing one is empty.
        fields = normalized(_fields(data))
        was = normalized(_fields({k[4:]: v for k, v in data.items() if k.startswith("was_")}))
        problems = bench.validate(concept_id, fields)
        if problems:
            current = bench.concept(concept_id)
            return _concept_page(current, fields, version, was, problems=problems), 422
        try:
            saved = bench.save(concept_id, version, fields)
        except ConcurrentEdit as exc:
            current = bench.concept(concept_id)
            now = form_values(current)
            merged, clashes = rebase(was, fields, now)
            return _concept_page(
                current,
                merged,
                concept_version(current),
                now,
                conflict=str(exc),
                clashes=clashes,
                mine=fields,
                taken=[n for n in FORM_FIELDS if merged[n] != fields[n] and n not in clashes],
            ), 409
        except (InvalidValue, DuplicateTerm) as exc:
            current = bench.concept(concept_id)
            problem = FieldProblem("", str(exc))
            return _concept_page(current, fields, version, was, problems=[problem]), 422
        return _see_other(url_for("concept_page", id=saved.id, saved="1"))

    def _concept_page(
        concept: Concept,
        values: Mapping[str, str],
        version: str,
        was: Mapping[str, str] | None = None,
        *,
        problems: list[FieldProblem] | None = None,
        conflict: str = "",
        clashes: Iterable[str] = (),
        mine: Mapping[str, str] | None = None,
        taken: Iterable[str] = (),
    ) -> str:
        by_field: dict[str, list[FieldProblem]] = {}
        for problem in problems or []:
            by_field.setdefault(problem.field, []).append(problem)
        current = form_values(concept)
        return render_template(
            "concept.html",
            page="termbase",
            concept=concept,
            values={**current, **values},
            was=was or current,
            version=version,
            current_values=current,
            problems=by_field,
            conflict=conflict,
            clashes=list(clashes),
            mine=mine or {},
            taken=list(taken),
            saved=request.args.get("saved") == "1",
            fields=FORM_FIELDS,
        )

    @app.get("/api/terms")
    def api_terms() -> Response:
        found = bench.search(
            request.args.get("q", ""), request.args.get("status", ""), _page_number()
        )
        return jsonify(
            query=found.query,
            status=found.status,
            page=found.page,
            pages=found.pages,
            total=found.total,
            concepts=[concept_dict(c) for c in found.concepts],
        )

    @app.get("/api/terms/concept")
    def api_concept() -> Response:
        return jsonify(concept_dict(bench.concept(request.args.get("id", ""))))

    @app.post("/api/terms/validate")
    def api_validate() -> Response:
        data = _body()
        problems = bench.validate(_text(data, "id"), _fields(data))
        return jsonify(problems=[p.to_dict() for p in problems])

    @app.post("/api/terms/concept")
    def api_save() -> Response:
        data = _body()
        concept_id, fields = _text(data, "id"), _fields(data)
        problems = bench.validate(concept_id, fields)
        if problems:
            response = jsonify(
                error=f"Concept {concept_id!r} was not saved: "
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''}.",
                problems=[p.to_dict() for p in problems],
            )
            response.status_code = 422
            return response
        try:
            saved = bench.save(concept_id, _text(data, "version"), fields)
        except ConcurrentEdit as exc:
            response = jsonify(error=str(exc), current=concept_dict(bench.concept(concept_id)))
            response.status_code = 409
            return response
        return jsonify(concept_dict(saved))


# ------------------------------------------------------------------ concordance and QA


def _lookup_routes(app: Flask, bench: Workbench) -> None:
    def run_concordance() -> cc.Concordance | None:
        """`glossary concordance` over the documents given to `glossary serve`."""
        text = request.args.get("q", "")
        if not text.strip():
            return None
        literal = _flag("literal")
        concepts = () if literal else bench.snapshot().termbase.concepts
        result = cc.search(bench.documents, cc.resolve(text, concepts, literal=literal))
        # How the documents were read, as `search_files` reports it.
        warnings = tuple(w for d in bench.documents for w in d.warnings)
        return dataclasses.replace(result, warnings=warnings)

    def run_check() -> tuple[Any, str, str]:
        file, target = request.args.get("file", ""), request.args.get("target", "")
        if not file.strip():
            return None, file, target
        source = bench.inside(file)
        second = bench.inside(target) if target.strip() else None
        report = lookups.check(source, second, bench.snapshot().termbase, max_bytes=bench.max_bytes)
        return report, file, target

    @app.get("/concordance")
    def concordance() -> str:
        return render_template(
            "concordance.html",
            page="concordance",
            result=run_concordance(),
            query=request.args.get("q", ""),
            literal=_flag("literal"),
            documents=len(bench.documents),
            kwic_width=KWIC_WIDTH,
        )

    @app.get("/api/concordance")
    def api_concordance() -> Response:
        result = run_concordance()
        if result is None:
            raise InvalidValue(
                "Give the term to look for: /api/concordance?q=TERM (and &literal=1 to "
                "search the text as written)."
            )
        # `glossary concordance --format json`, with the summary line, how the
        # query was resolved and the concepts searched.
        return jsonify(
            **result.to_dict(),
            summary=result.summary(),
            how=result.query.how,
            concepts=[concept_dict(c) for c in result.query.concepts]
            if result.query.kind == "concept"
            else [],
        )

    @app.get("/qa")
    def qa() -> str:
        report, file, target = run_check()
        return render_template(
            "qa.html",
            page="qa",
            report=report,
            file=file,
            target=target,
            unit_files=bench.files(UNIT_SUFFIXES),
            text_files=bench.files(PAIR_SUFFIXES),
        )

    @app.get("/api/qa")
    def api_qa() -> Response:
        report, _, _ = run_check()
        if report is None:
            raise InvalidValue("Give the file to check: /api/qa?file=PATH (and &target=PATH).")
        data = report.to_dict()
        data["summary"] = report.summary()
        return jsonify(data)
