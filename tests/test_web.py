"""The workbench's HTTP API and pages, through Flask's test client.

Every action: access checks (token, Host, Origin, cross-site), review
decisions (written as `glossary review` writes them), termbase search,
validation and edits with the version check, the concordance and QA, and
bad requests answered with a message and no traceback.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from glossary.cli import main
from glossary.errors import TermbaseFormatError
from glossary.matching.matcher import Matcher
from glossary.mining import review as rv
from glossary.mining.candidates import with_status
from glossary.termbase import model as tbm
from glossary.termbase.store import read_termbase, update_termbase
from glossary.web.app import create_app
from glossary.web.workbench import Workbench, concept_version, rebase
from web_project import SEEDS, TOKEN, make_bench, mined

HEADERS = {"X-Glossary-Token": TOKEN}


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return make_bench(tmp_path)


@pytest.fixture
def client(bench: Workbench) -> FlaskClient:
    app = create_app(bench, token=TOKEN, hosts=["localhost"])
    return app.test_client()


def get(client: FlaskClient, url: str, **kw: Any) -> Any:
    return client.get(url, headers={**HEADERS, **kw.pop("headers", {})}, **kw)


def post(client: FlaskClient, url: str, body: dict[str, Any], **kw: Any) -> Any:
    return client.post(url, json=body, headers={**HEADERS, **kw.pop("headers", {})}, **kw)


def cli(termbase: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--termbase", str(termbase)])
    assert result.exit_code == 0, result.output
    return result.output


def waiting(bench: Workbench) -> list[str]:
    return [rv.candidate_key(c) for c in bench.queue()]


# ------------------------------------------------------------------ access

PAGES = [
    "/review",
    "/review/item?c=minskgroep",
    "/termbase",
    "/termbase/concept?id=ovse",
    "/concordance?q=OVSE",
    "/qa?file=out/report.po",
    "/api/review",
    "/api/terms?q=ovse",
    "/api/terms/concept?id=ovse",
    "/api/concordance?q=OVSE",
    "/api/qa?file=out/report.po",
    "/static/app.js",
    "/",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    "credentials",
    [{}, {"headers": {"X-Glossary-Token": "wrong"}}, {"token": "wrong"}],
    ids=["none", "wrong-header", "wrong-query"],
)
def test_without_the_token_nothing_is_shown(
    client: FlaskClient, url: str, credentials: dict[str, Any]
) -> None:
    if "token" in credentials:
        url += ("&" if "?" in url else "?") + "token=wrong"
    response = client.get(url, headers=credentials.get("headers", {}))
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "needs its token" in body
    for data in ("OSCE", "ceasefire", "Minsk", "glossary-token", "use strict"):
        assert data not in body


@pytest.mark.parametrize("url", PAGES)
def test_with_the_token_every_page_answers(client: FlaskClient, url: str) -> None:
    response = get(client, url)
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:300]


def test_token_in_the_address_becomes_a_strict_cookie_and_leaves_the_address(
    client: FlaskClient,
) -> None:
    response = client.get("/termbase", query_string={"token": TOKEN, "q": "ovse"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/termbase?q=ovse"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN in cookie
    page = client.get("/termbase?q=ovse")  # the test client keeps the cookie
    assert page.status_code == 200 and "OSCE" in page.get_data(as_text=True)


def test_pages_carry_security_headers(client: FlaskClient) -> None:
    headers = get(client, "/termbase").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8765", "localhost.evil.example", "127.0.0.1.nip.io", ""],
)
def test_other_host_names_are_refused_dns_rebinding(client: FlaskClient, host: str) -> None:
    response = get(client, "/api/terms", headers={"Host": host})
    assert response.status_code == 400
    assert "host name" in response.get_json()["error"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:9999"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
    ids=["other-site", "null", "other-port", "fetch-metadata"],
)
def test_cross_site_requests_are_refused_and_change_nothing(
    client: FlaskClient, bench: Workbench, headers: dict[str, str]
) -> None:
    before = bench.termbase_path.read_bytes()
    key = waiting(bench)[0]
    response = post(
        client,
        "/api/review/decide",
        {"key": key, "decision": "accept", "en": "x"},
        headers=headers,
    )
    assert response.status_code == 403
    assert bench.termbase_path.read_bytes() == before
    assert get(client, "/api/terms", headers=headers).status_code == 403


def test_same_origin_is_accepted(client: FlaskClient) -> None:
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert get(client, "/api/terms", headers=headers).status_code == 200


def test_a_change_needs_the_token_itself_not_only_the_cookie(
    client: FlaskClient, bench: Workbench
) -> None:
    client.get("/review", query_string={"token": TOKEN})  # sets the cookie
    before = bench.termbase_path.read_bytes()
    key = waiting(bench)[0]
    form = {"key": key, "decision": "reject"}
    assert client.post("/review/decide", data=form).status_code == 403
    assert client.post("/api/review/decide", json=form).status_code == 403
    assert bench.termbase_path.read_bytes() == before
    response = client.post("/review/decide", data={**form, "_token": TOKEN})
    assert response.status_code == 303
    assert key not in waiting(bench)
    assert len(read_termbase(bench.termbase_path)) == len(tbm.parse_tsv(before)) + 1


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "message"),
    [
        ("get", "/nope", None, 404, "No page /nope"),
        ("get", "/api/nope", None, 404, "No page /api/nope"),
        ("post", "/api/terms", {}, 405, "POST is not accepted"),
        ("get", "/api/terms?page=two", None, 422, "Page 'two' is not a number"),
        ("get", "/api/terms?status=aproved", None, 422, "Unknown status 'aproved'"),
        ("get", "/api/terms/concept?id=nothing", None, 404, "No concept with id or Dutch"),
        ("post", "/api/review/decide", [1, 2], 422, "must be a JSON object"),
        ("post", "/api/review/decide", {"key": 3}, 422, "'key' must be text"),
        ("post", "/api/review/decide", {"key": "x", "decision": "maybe"}, 422, "Unknown decision"),
        ("post", "/api/review/decide", {"key": "nothing", "decision": "skip"}, 404, "No mined"),
        ("post", "/api/terms/concept", {"id": "ovse", "fields": []}, 422, "'fields' must be"),
        ("post", "/api/terms/validate", {"id": "gone", "fields": {}}, 404, "No concept with id"),
        ("get", "/api/concordance", None, 422, "Give the term"),
        ("get", "/api/concordance?q=x&literal=maybe", None, 422, "'literal' must be 1"),
        ("get", "/api/qa", None, 422, "Give the file"),
        ("get", "/api/qa?file=../outside.po", None, 400, "outside the project folder"),
        ("get", "/api/qa?file=/etc/passwd", None, 400, "outside the project folder"),
        ("get", "/api/qa?file=out/missing.po", None, 400, "no such file"),
    ],
)
def test_bad_requests_get_a_clear_message_and_no_traceback(
    client: FlaskClient,
    method: str,
    url: str,
    body: Any,
    status: int,
    message: str,
) -> None:
    if method == "get":
        response = get(client, url)
    else:
        response = client.post(
            url, data=json.dumps(body), headers=HEADERS, content_type="application/json"
        )
    assert response.status_code == status, response.get_data(as_text=True)
    text = response.get_data(as_text=True)
    if url.startswith("/api/"):
        assert message in response.get_json()["error"]
    else:
        assert message in text and "<nav" in text
    assert "Traceback" not in text and 'File "' not in text


def test_malformed_json_and_too_large_bodies(client: FlaskClient) -> None:
    response = client.post(
        "/api/review/decide", data=b"{not json", headers=HEADERS, content_type="application/json"
    )
    assert response.status_code == 422 and "JSON object" in response.get_json()["error"]
    big = {"key": "x" * (3 * 1024 * 1024), "decision": "skip"}
    response = post(client, "/api/review/decide", big)
    assert response.status_code == 413 and "too large" in response.get_json()["error"]


def test_html_errors_are_pages_with_the_message(client: FlaskClient) -> None:
    response = get(client, "/termbase/concept?id=nothing")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No concept with id or Dutch term &#39;nothing&#39;" in page and "<nav" in page


def test_a_bug_is_a_500_without_traceback(
    client: FlaskClient, bench: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("secret detail")

    monkeypatch.setattr(bench, "search", broken)
    response = get(client, "/api/terms")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Internal error (ZeroDivisionError)" in text and "secret detail" not in text
    assert "Traceback" not in text


def test_a_broken_termbase_is_reported_with_its_problems(
    client: FlaskClient, bench: Workbench
) -> None:
    bench.termbase_path.write_text(tbm.HEADER + "\nx\tX\n", encoding="utf-8")
    response = get(client, "/api/terms")
    assert response.status_code == 400
    data = response.get_json()
    assert "columns instead of 15" in data["problems"][0]["message"]
    with pytest.raises(TermbaseFormatError):
        read_termbase(bench.termbase_path)


def test_outside_files_are_refused_also_through_a_symlink(
    client: FlaskClient, bench: Workbench, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.po"
    outside.write_text((bench.root / "out" / "report.po").read_text(), encoding="utf-8")
    (bench.root / "out" / "link.po").symlink_to(outside)
    response = get(client, "/api/qa?file=out/link.po")
    assert response.status_code == 400
    assert "outside the project folder" in response.get_json()["error"]
    page = get(client, "/qa?file=out/link.po").get_data(as_text=True)
    assert "outside the project folder" in page and "stop-the-fire" not in page


# ------------------------------------------------------------------ review


def test_review_page_lists_the_candidates_with_contexts_highlighted(
    client: FlaskClient, bench: Workbench
) -> None:
    page = get(client, "/review").get_data(as_text=True)
    queue = bench.queue()
    first = queue[0]
    assert f"{len(queue)} </span>" not in page
    assert f'<span id="left">{len(queue)}</span> of {len(bench.candidates)}' in page
    assert page.count('<li data-key="') == len(queue)
    assert page.index(queue[0].term) < page.index(queue[1].term)
    assert f'<h2 id="item-term">{first.term}</h2>' in page
    marked = re.findall(r"<mark>([^<]*)</mark>", page)
    assert marked and all(m.casefold().replace("-", "").replace(" ", "") for m in marked)
    assert f"{first.kind} · {first.frequency}× in {first.doc_frequency} document" in page


def test_known_candidates_are_not_in_the_queue(bench: Workbench) -> None:
    statuses = {rv.candidate_key(c): c.status for c in bench.statuses()}
    assert statuses["staakthetvuren"] == "approved"
    assert "staakthetvuren" not in waiting(bench)
    assert len(bench.queue()) == sum(1 for s in statuses.values() if s == "new")


def test_api_review_gives_kind_frequency_variants_and_highlights(
    client: FlaskClient, bench: Workbench
) -> None:
    data = get(client, "/api/review").get_json()
    assert data["left"] == len(bench.queue()) and data["mined"] == 80
    minsk = next(c for c in data["candidates"] if c["key"] == "minskgroep")
    assert minsk["kind"] == "name" and minsk["frequency"] >= 10 and minsk["doc_frequency"] >= 3
    assert {"Minsk-groep", "Minskgroep"} <= {v["form"] for v in minsk["variants"]}
    forms = {f.casefold() for f in [minsk["term"], *(v["form"] for v in minsk["variants"])]}
    for context in minsk["contexts"]:
        assert context["highlights"], context
        for start, end in context["highlights"]:
            assert context["text"][start:end].casefold() in forms
    item = get(client, "/api/review/item?key=minskgroep").get_json()
    assert item["term"] == minsk["term"]


def test_accept_writes_what_glossary_review_writes(client: FlaskClient, bench: Workbench) -> None:
    candidate = bench.candidate("minskgroep")
    response = post(
        client,
        "/api/review/decide",
        {"key": "minskgroep", "decision": "accept", "en": "Minsk Group"},
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    expected = rv.accept(candidate, "Minsk Group")
    stored = read_termbase(bench.termbase_path).get(data["concept"]["id"])
    assert stored == expected
    assert data["concept"]["version"] == concept_version(expected)
    assert "minskgroep" not in waiting(bench)
    assert data["next"] == waiting(bench)[0] and data["left"] == len(waiting(bench))
    assert data["message"].startswith("Approved Minsk Groep → Minsk Group")


def test_accept_without_english_or_with_a_bad_one_changes_nothing(
    client: FlaskClient, bench: Workbench
) -> None:
    before = bench.termbase_path.read_bytes()
    for english, message in (("", "needs an English term"), ("Minsk | Group", "'|'")):
        response = post(
            client, "/api/review/decide", {"key": "minskgroep", "decision": "accept", "en": english}
        )
        assert response.status_code == 422 and message in response.get_json()["error"]
    assert bench.termbase_path.read_bytes() == before
    response = post(
        client,
        "/api/review/decide",
        {"key": "minskgroep", "decision": "accept", "en": "Minsk Group"},
    )
    assert response.status_code == 200
    assert "\tMinsk Group\t" in bench.termbase_path.read_text(encoding="utf-8")


def test_reject_writes_what_glossary_review_writes(client: FlaskClient, bench: Workbench) -> None:
    key = waiting(bench)[1]
    candidate = bench.candidate(key)
    data = post(client, "/api/review/decide", {"key": key, "decision": "reject"}).get_json()
    assert read_termbase(bench.termbase_path).get(data["concept"]["id"]) == rv.reject(candidate)
    assert data["concept"]["status"] == "rejected" and key not in waiting(bench)


def test_edit_the_dutch_term_and_variants_before_accepting(
    client: FlaskClient, bench: Workbench
) -> None:
    body = {
        "key": "minskgroep",
        "decision": "accept",
        "en": "Minsk Group",
        "nl": "Minskgroep",
        "variants": "Minsk Groep | OVSE Minsk Groep",
    }
    concept = post(client, "/api/review/decide", body).get_json()["concept"]
    assert concept["nl"] == "Minskgroep"
    # "Minsk Groep" is the same term as "Minskgroep" (the matcher finds it): not stored.
    assert concept["nl_variants"] == ["OVSE Minsk Groep"]


def test_merge_variants_of_two_candidates(client: FlaskClient, bench: Workbench) -> None:
    keys = waiting(bench)
    first, other = bench.candidate(keys[0]), bench.candidate(keys[3])
    body = {
        "key": keys[0],
        "decision": "accept",
        "en": "merged",
        "variants": "",
        "merge": [other.term],  # typed as a term, not a key
    }
    concept = post(client, "/api/review/decide", body).get_json()["concept"]
    assert other.term in concept["nl_variants"]
    assert keys[0] not in waiting(bench) and keys[3] not in waiting(bench)
    assert concept["nl"] == first.term


def test_similar_candidates_are_offered_for_merging(bench: Workbench) -> None:
    similar = [c.term for c in bench.similar(bench.candidate("minskgroep"))]
    assert {"Minsk", "OVSE-groep", "Minsk Groep covoorzitters"} <= set(similar)
    assert "Armenië" not in similar


def test_skip_is_shared_with_glossary_review(client: FlaskClient, bench: Workbench) -> None:
    key = waiting(bench)[0]
    data = post(client, "/api/review/decide", {"key": key, "decision": "skip"}).get_json()
    assert data["concept"] is None and data["next"] == waiting(bench)[0]
    state = rv.load_state(rv.state_path(bench.termbase_path))
    assert key in state.skipped
    assert waiting(bench)[-1] == key  # skipped ones come last, as in `glossary review`
    assert get(client, "/api/review").get_json()["skipped"] == [key]
    # Deciding it later forgets the skip.
    post(client, "/api/review/decide", {"key": key, "decision": "reject"})
    assert key not in rv.load_state(rv.state_path(bench.termbase_path)).skipped


def test_a_decision_made_with_the_command_line_is_seen(
    client: FlaskClient, bench: Workbench
) -> None:
    assert "minskgroep" in waiting(bench)
    cli(bench.termbase_path, "term", "add", "Minsk Groep", "Minsk Group")
    assert "minskgroep" not in waiting(bench)
    response = post(
        client, "/api/review/decide", {"key": "minskgroep", "decision": "accept", "en": "x"}
    )
    assert response.status_code == 404
    assert "no longer waiting for review: it is approved" in response.get_json()["error"]
    # A concept removed with the command line makes its candidate new again.
    cli(bench.termbase_path, "term", "remove", "minsk-groep")
    assert "minskgroep" in waiting(bench)


def test_form_decisions_without_javascript(client: FlaskClient, bench: Workbench) -> None:
    keys = waiting(bench)
    form = {
        "_token": TOKEN,
        "key": keys[0],
        "decision": "accept",
        "en": "Minsk Group",
        "nl": "Minsk Groep",
        "variants": "Minsk-groep",
        "merge_terms": "",
    }
    response = client.post("/review/decide", data=form)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/review?c={keys[1]}&done=Approved")
    page = client.get(response.headers["Location"], headers=HEADERS).get_data(as_text=True)
    assert "Approved Minsk Groep → Minsk Group" in page
    form["key"], form["en"] = keys[1], ""
    response = client.post("/review/decide", data=form)
    assert response.status_code == 422 and "needs an English term" in response.get_data(
        as_text=True
    )


def test_with_status_follows_the_termbase(bench: Workbench) -> None:
    _, candidates = mined()
    termbase = read_termbase(bench.termbase_path)
    marked = with_status(candidates, Matcher.build(termbase.concepts))
    assert {c.status for c in marked} >= {"new", "approved"}
    again = with_status(marked, Matcher.build(()))
    assert {c.status for c in again} == {"new"} and not any(c.concept_id for c in again)


# ------------------------------------------------------------------ termbase


def test_search_finds_what_term_search_finds(client: FlaskClient, bench: Workbench) -> None:
    cli(bench.termbase_path, "term", "add", "Minsk Groep", "Minsk Group", "--variant", "Minskgroep")
    cli(
        bench.termbase_path,
        "term",
        "add",
        "covoorzitters van de Minsk Groep",
        "Minsk Group Co-Chairs",
    )
    data = get(client, "/api/terms?q=minsk groep").get_json()
    ids = [c["id"] for c in data["concepts"]]
    out = CliRunner().invoke(
        main,
        [
            "term",
            "search",
            "minsk groep",
            "--format",
            "json",
            "--termbase",
            str(bench.termbase_path),
        ],
    )
    assert (
        ids
        == [c["id"] for c in json.loads(out.output)]
        == ["minsk-groep", "covoorzitters-van-de-minsk-groep"]
    )
    page = get(client, "/termbase?q=minsk+groep").get_data(as_text=True)
    assert "2 concepts match minsk groep" in page


def test_paging_and_status_filter(client: FlaskClient, bench: Workbench) -> None:
    update_termbase(
        bench.termbase_path,
        lambda tb: (
            tbm.Termbase(
                (*tb.concepts, *(tbm.make_concept(f"woord{n:03}", f"word{n}") for n in range(120)))
            ),
            None,
        ),
    )
    first = get(client, "/api/terms").get_json()
    assert (first["total"], first["pages"], len(first["concepts"])) == (124, 3, 50)
    last = get(client, "/api/terms?page=3").get_json()
    assert len(last["concepts"]) == 24 and last["page"] == 3
    assert get(client, "/api/terms?page=99").get_json()["page"] == 3
    assert get(client, "/api/terms?q=woord&page=2").get_json()["total"] == 120
    rejected = get(client, "/api/terms?status=rejected").get_json()
    assert [c["id"] for c in rejected["concepts"]] == ["aandacht"]
    page = get(client, "/termbase?page=2").get_data(as_text=True)
    assert "page 2 of 3" in page and 'rel="next"' in page and 'rel="prev"' in page


def test_view_and_save_a_concept(client: FlaskClient, bench: Workbench) -> None:
    data = get(client, "/api/terms/concept?id=ovse").get_json()
    assert data["en"] == "OSCE" and data["case_sensitive"] is True
    response = post(
        client,
        "/api/terms/concept",
        {
            "id": "ovse",
            "version": data["version"],
            "fields": {"en_alternatives": ["OSCE (org.)"], "note": "EU usage"},
        },
    )
    assert response.status_code == 200, response.get_json()
    saved = read_termbase(bench.termbase_path).get("ovse")
    assert saved is not None
    assert saved.en_alternatives == ("OSCE (org.)",) and saved.note == "EU usage"
    assert saved.case_sensitive  # a field not sent stays as it was
    assert response.get_json()["version"] == concept_version(saved) != data["version"]


def validate_file_problem(row_changes: dict[str, str]) -> list[tuple[str, str, str]]:
    """What `glossary validate` says about the staakt-het-vuren row with these cells."""
    from web_project import CONCEPTS

    cells = dict(
        zip(
            tbm.COLUMNS,
            tbm.serialize_tsv(tbm.Termbase((CONCEPTS[0],))).splitlines()[1].split("\t"),
            strict=True,
        )
    )
    cells.update(row_changes)
    data = f"{tbm.HEADER}\n{chr(9).join(cells[c] for c in tbm.COLUMNS)}\n".encode()
    with pytest.raises(TermbaseFormatError) as info:
        tbm.parse_tsv(data)
    return [(p.column_name, p.message, p.hint) for p in info.value.problems]


VALIDATION_CASES = [
    ({"en": ""}, "en", "fill in the English term, mark it dnt=yes, or set status to proposed"),
    ({"status": "aproved"}, "status", "use one of: approved, proposed, rejected"),
    ({"pos": "noun phrase"}, "pos", "use one of: noun, verb"),
    ({"en_alternatives": "Stop-the-fire"}, "en_forbidden", "a term is either a correct rendering"),
    ({"dnt": "maybe"}, "dnt", "write 'yes' or leave empty"),
]


@pytest.mark.parametrize(
    ("fields", "field", "hint"), VALIDATION_CASES, ids=[c[1] for c in VALIDATION_CASES]
)
def test_validation_gives_the_rules_and_hints_of_validate(
    client: FlaskClient, bench: Workbench, fields: dict[str, str], field: str, hint: str
) -> None:
    problems = post(
        client, "/api/terms/validate", {"id": "staakt-het-vuren", "fields": fields}
    ).get_json()["problems"]
    assert [(p["field"], p["message"], p["hint"]) for p in problems] == validate_file_problem(
        fields
    )
    assert problems[0]["field"] == field and problems[0]["hint"].startswith(hint)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"nl_variants": "OVSE"}, "nl_variants", "Dutch term 'OVSE' is already claimed by 'ovse'"),
        ({"nl": "vredesakkoord"}, "nl", "already claimed by 'vredesakkoord'"),
        ({"en": "a\tb"}, "en", "a tab or line break"),
        ({"en": "cease | fire"}, "", "may not contain '|'"),
    ],
    ids=["variant-claimed", "term-claimed", "tab", "separator"],
)
def test_validation_of_terms_claimed_elsewhere_and_unstorable_values(
    client: FlaskClient, bench: Workbench, fields: dict[str, str], field: str, message: str
) -> None:
    problems = post(
        client, "/api/terms/validate", {"id": "staakt-het-vuren", "fields": fields}
    ).get_json()["problems"]
    assert problems and problems[0]["field"] == field and message in problems[0]["message"]
    before = bench.termbase_path.read_bytes()
    version = concept_version(bench.concept("staakt-het-vuren"))
    response = post(
        client,
        "/api/terms/concept",
        {"id": "staakt-het-vuren", "version": version, "fields": fields},
    )
    assert response.status_code == 422 and response.get_json()["problems"]
    assert bench.termbase_path.read_bytes() == before


def test_a_valid_form_has_no_problems(client: FlaskClient) -> None:
    body = {
        "id": "staakt-het-vuren",
        "fields": {"en": "cease-fire", "en_alternatives": "ceasefire"},
    }
    assert post(client, "/api/terms/validate", body).get_json()["problems"] == []


def test_an_edit_made_with_the_command_line_is_seen(client: FlaskClient, bench: Workbench) -> None:
    assert get(client, "/api/terms/concept?id=ovse").get_json()["note"] == ""
    cli(bench.termbase_path, "term", "edit", "ovse", "--note", "from the CLI")
    assert get(client, "/api/terms/concept?id=ovse").get_json()["note"] == "from the CLI"
    assert "from the CLI" in get(client, "/termbase/concept?id=ovse").get_data(as_text=True)


def test_two_edits_of_one_concept_never_lose_one(client: FlaskClient, bench: Workbench) -> None:
    version = get(client, "/api/terms/concept?id=ovse").get_json()["version"]
    cli(bench.termbase_path, "term", "edit", "ovse", "--note", "from the CLI")
    response = post(
        client,
        "/api/terms/concept",
        {"id": "ovse", "version": version, "fields": {"en": "O.S.C.E."}},
    )
    assert response.status_code == 409
    data = response.get_json()
    assert "changed elsewhere" in data["error"] and data["current"]["note"] == "from the CLI"
    saved = read_termbase(bench.termbase_path).get("ovse")
    assert saved is not None and saved.en == "OSCE" and saved.note == "from the CLI"
    response = post(
        client,
        "/api/terms/concept",
        {"id": "ovse", "version": data["current"]["version"], "fields": {"en": "O.S.C.E."}},
    )
    assert response.status_code == 200
    saved = read_termbase(bench.termbase_path).get("ovse")
    assert saved is not None and (saved.en, saved.note) == ("O.S.C.E.", "from the CLI")


def test_the_form_shows_the_conflict_and_keeps_both_changes(
    client: FlaskClient, bench: Workbench
) -> None:
    page = get(client, "/termbase/concept?id=ovse").get_data(as_text=True)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    values = {
        name: (bench.concept("ovse").to_dict()[name]) for name in ("nl", "en", "status", "pos")
    }
    form.update({k: str(v) for k, v in values.items()})
    form.update({"case_sensitive": "yes", "en": "O.S.C.E.", "note": "mine"})
    cli(
        bench.termbase_path,
        "term",
        "edit",
        "ovse",
        "--note",
        "theirs",
        "--subject",
        "organisations",
    )
    response = client.post("/termbase/concept", data=form)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert (
        "Changed elsewhere" in page
        and '<th scope="row">note</th><td>mine</td><td>theirs</td>' in page
    )
    assert "Taken over from the termbase, as changed elsewhere: subject" in page
    again = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    again.update(dict(re.findall(r'<input id="f-[a-z_]+" name="([a-z_]+)" value="([^"]*)"', page)))
    again.update({"status": "approved", "pos": "properNoun", "case_sensitive": "yes"})
    assert again["subject"] == "organisations" and again["note"] == "mine"
    response = client.post("/termbase/concept", data=again)
    assert response.status_code == 303, response.get_data(as_text=True)
    saved = read_termbase(bench.termbase_path).get("ovse")
    assert saved is not None
    assert (saved.en, saved.note, saved.subject) == ("O.S.C.E.", "mine", "organisations")


def test_form_save_with_a_problem_shows_it_beside_the_field(
    client: FlaskClient, bench: Workbench
) -> None:
    page = get(client, "/termbase/concept?id=staakt-het-vuren").get_data(as_text=True)
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    form.update(dict(re.findall(r'<input id="f-[a-z_]+" name="([a-z_]+)" value="([^"]*)"', page)))
    form.update({"status": "approved", "pos": "noun", "en": ""})
    response = client.post("/termbase/concept", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert "approved concept without English term" in page and "mark it dnt=yes" in page
    form["en"] = "truce"
    response = client.post("/termbase/concept", data=form)
    assert response.status_code == 303
    assert "Saved to the termbase" in client.get(
        response.headers["Location"], headers=HEADERS
    ).get_data(as_text=True)
    assert bench.concept("staakt-het-vuren").en == "truce"


def test_removed_concept_cannot_be_saved(client: FlaskClient, bench: Workbench) -> None:
    version = get(client, "/api/terms/concept?id=ovse").get_json()["version"]
    cli(bench.termbase_path, "term", "remove", "ovse")
    response = post(
        client, "/api/terms/concept", {"id": "ovse", "version": version, "fields": {"en": "x"}}
    )
    assert (
        response.status_code == 404 and "No concept with id 'ovse'" in response.get_json()["error"]
    )


def test_rebase_keeps_both_sides() -> None:
    was = {"en": "a", "note": "", "subject": ""}
    merged, clashes = rebase(
        was, {**was, "en": "b", "note": "mine"}, {**was, "note": "theirs", "subject": "s"}
    )
    assert (merged["en"], merged["note"], merged["subject"]) == ("b", "mine", "s")
    assert clashes == ["note"]


# ------------------------------------------------------------------ concordance and QA


# The shipped termbase as test_concordance's counts were made: "Minsk Groep" is
# one of nine spellings of minskgroep, "ceasefire" the English of two concepts.
SHIPPED = Path(__file__).parent / "data" / "qa" / "termbase.tsv"


@pytest.mark.parametrize(
    ("term", "literal", "concept_ids", "least"),
    [
        ("Minsk Groep", False, ["minskgroep"], 20),
        ("ceasefire", False, ["staakt-het-vuren", "wapenstilstand"], 14),
        ("Minsk", True, [], 21),
    ],
    ids=["dutch-spelling", "english-of-two-concepts", "literal"],
)
def test_concordance_shows_what_glossary_concordance_shows(
    client: FlaskClient,
    bench: Workbench,
    term: str,
    literal: bool,
    concept_ids: list[str],
    least: int,
) -> None:
    bench.termbase_path.write_bytes(SHIPPED.read_bytes())
    flags = ["--literal"] if literal else []
    result = CliRunner().invoke(
        main,
        ["concordance", term, str(SEEDS), *flags, "--format", "json", "--termbase", str(SHIPPED)],
    )
    assert result.exit_code == 0, result.stderr
    expected = json.loads(result.stdout)
    assert expected["query"]["concept_ids"] == concept_ids and expected["occurrences"] >= least
    query = {"q": term, **({"literal": "1"} if literal else {})}
    data = get(client, "/api/concordance", query_string=query).get_json()
    assert {k: data[k] for k in expected} == expected
    assert set(data) - set(expected) == {"summary", "how", "concepts"}
    assert [c["id"] for c in data["concepts"]] == concept_ids
    assert all(c["version"] for c in data["concepts"])  # as /api/terms/concept gives them

    page = get(client, "/concordance", query_string=query).get_data(as_text=True)
    assert f'<p id="count" role="status">{data["summary"]}.</p>' in page
    assert data["summary"].startswith(f"{len(expected['hits'])} occurrences in ")
    for concept_id in concept_ids:  # the resolved concepts, each linked to its page
        assert f'<a href="/termbase/concept?id={concept_id}">{concept_id}</a>' in page
    if literal:
        assert f"The literal text <q>{term}</q>" in page
        assert '<input id="literal" name="literal" type="checkbox" value="1" checked' in page
    # One keyword-in-context row per hit, in the command's order: file:line, the
    # context before, the match marked, the context after.
    rows = re.findall(
        r'<tr><td class="ref">([^<]+)</td><td class="left">([^<]*)</td>'
        r'<td class="match"><mark>([^<]+)</mark></td><td class="right">([^<]*)</td></tr>',
        page,
    )
    assert [html.unescape(row[0]) for row in rows] == [h["ref"] for h in expected["hits"]]
    assert [html.unescape(row[2]) for row in rows] == [h["match"] for h in expected["hits"]]
    for (_, left, _, right), hit in zip(rows, expected["hits"], strict=True):
        assert html.unescape(right).startswith(hit["sentence"][hit["end"] :][:20])
        assert html.unescape(left).endswith(hit["sentence"][: hit["start"]][-20:])
    # The counts per spelling, as the command's table gives them.
    spellings = re.findall(
        r"<tr><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td><td>[^<]*</td></tr>", page
    )
    assert spellings == [
        (html.escape(s["spelling"]), str(s["count"]), str(s["documents"]))
        for s in expected["spellings"]
    ]


def test_concordance_of_a_term_not_in_the_termbase_and_escaping(
    client: FlaskClient, bench: Workbench
) -> None:
    data = get(client, "/api/concordance?q=Minskgroepen").get_json()
    args = ["concordance", "Minskgroepen", str(SEEDS), "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--termbase", str(bench.termbase_path)])
    expected = json.loads(result.stdout)
    assert {k: data[k] for k in expected} == expected and expected["query"]["kind"] == "term"
    assert data["concepts"] == [] and "Minskgroep" in {s["spelling"] for s in data["spellings"]}
    page = get(client, "/concordance?q=Minskgroepen").get_data(as_text=True)
    assert "<q>Minskgroepen</q> is not in the termbase" in page
    page = get(client, "/concordance", query_string={"q": "<img src=x onerror=alert(1)>"})
    text = page.get_data(as_text=True)
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "0 occurrences in 0 of 5 documents." in text


def test_qa_reports_what_glossary_check_reports(client: FlaskClient, bench: Workbench) -> None:
    data = get(client, "/api/qa?file=out/report.po").get_json()
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(bench.root / "out" / "report.po"),
            "--format",
            "json",
            "--termbase",
            str(bench.termbase_path),
        ],
    )
    expected = json.loads(result.stdout)
    assert {k: v for k, v in data.items() if k != "summary"} == expected
    assert {v["kind"] for v in data["violations"]} >= {"wrong"}  # found stop-the-fire
    page = get(client, "/qa?file=out/report.po").get_data(as_text=True)
    assert "<mark>stop-the-fire</mark>" in page and data["summary"] in page
    assert "out/report.po" in get(client, "/qa").get_data(as_text=True)  # offered in the list


def test_qa_of_a_source_and_its_translation(client: FlaskClient, bench: Workbench) -> None:
    (bench.root / "src.txt").write_text(
        "De OVSE bemiddelt.\nEen staakt-het-vuren.\n", encoding="utf-8"
    )
    (bench.root / "tgt.txt").write_text("The OSCE mediates.\nA truce.\n", encoding="utf-8")
    data = get(client, "/api/qa?file=src.txt&target=tgt.txt").get_json()
    assert [(v["kind"], v["concept_id"]) for v in data["violations"]] == [
        ("missing", "staakt-het-vuren")
    ]


def test_qa_offers_files_of_the_project_but_not_hidden_or_deep_ones(bench: Workbench) -> None:
    for name in (".git/x.po", "a/b/c/d/e/deep.po", "venv/lib.po", "keep/me.xlf"):
        path = bench.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    assert bench.files((".po", ".xlf")) == ["keep/me.xlf", "out/report.po"]


@pytest.mark.parametrize(
    "url",
    [
        "/static/../workbench.py",
        "/static/%2e%2e/workbench.py",
        "/static/..%2fapp.py",
        "/static//etc/passwd",
        "/static/templates/../../web/app.py",
    ],
)
def test_static_files_stay_inside_the_package(client: FlaskClient, url: str) -> None:
    response = get(client, url, follow_redirects=True)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "import" not in text and "root:" not in text
