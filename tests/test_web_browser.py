"""The workbench in a real browser: Debian's headless Chromium driven by Selenium.

The server runs in a thread on 127.0.0.1 (sockets to 127.0.0.1 are allowed
for these tests only); the browser is a separate process with a fresh
profile and every network feature that could reach out turned off.
`make test` installs `chromium` and `chromium-driver` when they are missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from glossary.mining import review as rv
from glossary.termbase.store import read_termbase
from glossary.web.server import Running, bind
from glossary.web.workbench import Workbench
from web_project import make_bench

pytestmark = [pytest.mark.slow, pytest.mark.allow_hosts(["127.0.0.1", "::1"])]

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, (
        "the browser tests need Debian's chromium and chromium-driver: "
        "apt-get install chromium chromium-driver (make test installs them)"
    )
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="glossary-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = chromium
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def bench(tmp_path: Path) -> Workbench:
    return make_bench(tmp_path)


@pytest.fixture
def served(bench: Workbench) -> Iterator[Running]:
    running = bind(bench, port=0)
    running.start_thread()
    try:
        yield running
    finally:
        running.shutdown()


def wait(driver: WebDriver, condition: object, timeout: float = 10) -> object:
    try:
        return WebDriverWait(
            driver,
            timeout,
            ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
        ).until(condition)  # type: ignore[arg-type]
    except TimeoutException:
        raise AssertionError(f"timed out; page:\n{driver.page_source[:3000]}") from None


def text_of(driver: WebDriver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def open_page(driver: WebDriver, served: Running, path: str) -> None:
    driver.get(served.url)  # the token address sets the cookie
    driver.get(served.url.split("/?")[0] + path)


def test_review_with_the_keyboard(browser: WebDriver, served: Running, bench: Workbench) -> None:
    before = bench.termbase_path.read_bytes()
    browser.get(served.url)
    assert browser.current_url.endswith("/review") and "token" not in browser.current_url
    first = bench.queue()[0]
    assert text_of(browser, "item-term") == first.term
    assert browser.find_elements(By.CSS_SELECTOR, "#item .contexts mark")

    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("a")  # no English yet: it asks for one
    wait(browser, lambda d: "Type the English term" in text_of(d, "item-error"))
    english = browser.switch_to.active_element
    assert english.get_attribute("id") == "en"
    english.send_keys("Minsk | Group", Keys.ENTER)  # refused: '|' separates values
    wait(browser, lambda d: "'|'" in text_of(d, "item-error"))
    assert bench.termbase_path.read_bytes() == before
    english.clear()
    english.send_keys("Minsk Group", Keys.ENTER)
    wait(browser, lambda d: "Approved Minsk Groep → Minsk Group" in text_of(d, "status"))
    second = bench.queue()[0]
    wait(browser, lambda d: text_of(d, "item-term") == second.term)

    stored = read_termbase(bench.termbase_path).get("minsk-groep")
    assert stored is not None and (stored.en, stored.status) == ("Minsk Group", "approved")
    assert stored == rv.accept(first, "Minsk Group")
    assert "\tMinsk Group\t" in bench.termbase_path.read_text(encoding="utf-8")
    assert not browser.find_elements(By.CSS_SELECTOR, 'li[data-key="minskgroep"]')

    # r rejects, s skips, j moves on; each from the keyboard, each on disk at once.
    browser.find_element(By.TAG_NAME, "body").send_keys("r")
    wait(browser, lambda d: f"Rejected {second.term}" in text_of(d, "status"))
    assert read_termbase(bench.termbase_path).get(rv.reject(second).id) == rv.reject(second)
    third = bench.queue()[0]
    wait(browser, lambda d: text_of(d, "item-term") == third.term)
    browser.find_element(By.TAG_NAME, "body").send_keys("s")
    wait(browser, lambda d: "Skipped" in text_of(d, "status"))
    assert rv.candidate_key(third) in bench.state().skipped
    now = text_of(browser, "item-term")
    browser.find_element(By.TAG_NAME, "body").send_keys("j")
    wait(browser, lambda d: text_of(d, "item-term") != now)


def test_edit_a_concept_with_a_validation_error_then_a_correct_value(
    browser: WebDriver, served: Running, bench: Workbench
) -> None:
    open_page(browser, served, "/termbase?q=staakt")
    browser.find_element(By.LINK_TEXT, "staakt-het-vuren").click()
    english = wait(browser, lambda d: d.find_element(By.ID, "f-en"))
    english.send_keys(Keys.CONTROL, "a")
    english.send_keys(Keys.BACKSPACE)  # live validation: the rule and fix hint of `validate`
    wait(browser, lambda d: "approved concept without English term" in text_of(d, "p-en"))
    assert "fill in the English term, mark it dnt=yes" in text_of(browser, "p-en")
    assert english.get_attribute("aria-invalid") == "true"
    english.send_keys(Keys.ENTER)  # the server refuses it too, and says why beside the field
    wait(browser, lambda d: "Not saved" in d.page_source)
    assert "approved concept without English term" in text_of(browser, "p-en")
    assert read_termbase(bench.termbase_path).get("staakt-het-vuren").en == "ceasefire"  # type: ignore[union-attr]
    english = browser.find_element(By.ID, "f-en")
    english.send_keys("truce")
    wait(browser, lambda d: text_of(d, "p-en") == "")
    english.send_keys(Keys.ENTER)
    wait(browser, lambda d: d.find_elements(By.ID, "saved"))
    concept = read_termbase(bench.termbase_path).get("staakt-het-vuren")
    assert concept is not None and concept.en == "truce"
    assert concept.en_forbidden == ("stop-the-fire",)  # the rest as it was


def test_a_concurrent_term_edit_is_not_lost(
    browser: WebDriver, served: Running, bench: Workbench
) -> None:
    open_page(browser, served, "/termbase/concept?id=ovse")
    english = browser.find_element(By.ID, "f-en")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "glossary",
            "term",
            "edit",
            "ovse",
            "--note",
            "from the CLI",
            "--termbase",
            str(bench.termbase_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    wait(browser, lambda d: d.find_element(By.ID, "changed").is_displayed())  # announced
    english.send_keys(Keys.CONTROL, "a")
    english.send_keys("O.S.C.E.", Keys.ENTER)
    wait(browser, lambda d: d.find_elements(By.ID, "conflict"))
    conflict = text_of(browser, "conflict")
    assert "was changed elsewhere" in conflict and "note" in conflict
    concept = read_termbase(bench.termbase_path).get("ovse")
    assert concept is not None and (concept.en, concept.note) == ("OSCE", "from the CLI")
    assert browser.find_element(By.ID, "f-note").get_attribute("value") == "from the CLI"
    browser.find_element(By.ID, "save").click()
    wait(browser, lambda d: d.find_elements(By.ID, "saved"))
    concept = read_termbase(bench.termbase_path).get("ovse")
    assert concept is not None and (concept.en, concept.note) == ("O.S.C.E.", "from the CLI")


def test_concordance_and_qa_pages(browser: WebDriver, served: Running) -> None:
    open_page(browser, served, "/concordance")
    field = browser.find_element(By.ID, "q")
    field.send_keys("staakt het vuren", Keys.ENTER)
    wait(browser, lambda d: "occurrences in" in text_of(d, "count"))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".kwic mark")) > 5
    assert browser.find_element(By.LINK_TEXT, "staakt-het-vuren")  # the concept, linked
    # The literal option: "OVSE" as written, also inside "OVSE-groep" (case ignored).
    field = browser.find_element(By.ID, "q")
    field.clear()
    field.send_keys("ovse")
    browser.find_element(By.CSS_SELECTOR, "label[for=literal]").click()
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser, lambda d: "literal text" in text_of(d, "query"))
    assert browser.find_element(By.ID, "literal").is_selected()
    marks = {m.text for m in browser.find_elements(By.CSS_SELECTOR, ".kwic mark")}
    assert marks == {"OVSE"} and "occurrences in" in text_of(browser, "count")
    browser.find_element(By.LINK_TEXT, "QA").click()
    browser.find_element(By.ID, "file").send_keys("out/report.po", Keys.ENTER)
    wait(browser, lambda d: "Term accuracy" in text_of(d, "summary"))
    marks = browser.find_elements(By.CSS_SELECTOR, ".violations tr.wrong mark")  # a wrong term
    assert [m.text for m in marks] == ["staakt-het-vuren", "stop-the-fire"]


def test_a_page_without_the_token_shows_nothing(browser: WebDriver, served: Running) -> None:
    browser.delete_all_cookies()
    browser.get(served.url.split("/?")[0] + "/termbase")
    assert "needs its token" in browser.page_source
    assert "OSCE" not in browser.page_source
