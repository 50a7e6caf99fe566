// The workbench's little JavaScript: review keys and decisions without a
// reload, live validation of a concept, and a notice when a concept changes
// elsewhere. Every page works without it (plain forms and links).
"use strict";

const TOKEN = document.querySelector('meta[name="glossary-token"]')?.content || "";

async function call(method, url, body) {
  const options = { method, headers: { Accept: "application/json", "X-Glossary-Token": TOKEN } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let data = {};
  try { data = await response.json(); } catch (e) { data = { error: `The workbench answered ${response.status}.` }; }
  return { ok: response.ok, status: response.status, data };
}

function typing(event) {
  const t = event.target;
  return t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName));
}

// ------------------------------------------------------------------ review

function reviewPage() {
  const queue = document.getElementById("queue");
  const pane = document.getElementById("item-pane");
  const status = document.getElementById("status");
  if (!queue || !pane) return;

  const form = () => document.getElementById("decide");
  const field = (name) => document.getElementById(name);
  const current = () => queue.querySelector('a[aria-current="true"]')?.closest("li");

  function select(li, focusItem) {
    if (!li) return;
    queue.querySelectorAll('a[aria-current="true"]').forEach((a) => a.removeAttribute("aria-current"));
    const a = li.querySelector("a");
    a.setAttribute("aria-current", "true");
    a.scrollIntoView({ block: "nearest" });
    return load(li.dataset.key, focusItem);
  }

  async function load(key, focusItem) {
    const response = await fetch(`/review/item?c=${encodeURIComponent(key)}`, { headers: { "X-Glossary-Token": TOKEN } });
    if (!response.ok) {
      status.textContent = "This candidate cannot be shown; reload the page.";
      return;
    }
    pane.innerHTML = await response.text();
    history.replaceState(null, "", `/review?c=${encodeURIComponent(key)}`);
    wire();
    if (focusItem) document.getElementById("item-term")?.focus();
  }

  function move(step) {
    const li = current();
    const next = step > 0 ? li?.nextElementSibling : li?.previousElementSibling;
    if (next) select(next);
  }

  async function decide(decision) {
    const f = form();
    if (!f) return;
    const error = document.getElementById("item-error");
    const data = new FormData(f);
    const en = field("en");
    if (decision === "accept" && !en.value.trim()) {
      error.textContent = "Type the English term, then press Enter to approve.";
      en.focus();
      return;
    }
    const merge = data.getAll("merge");
    const typed = (data.get("merge_terms") || "").split("|").map((s) => s.trim()).filter(Boolean);
    const body = {
      key: data.get("key"), decision, en: data.get("en"), nl: data.get("nl"),
      variants: data.get("variants"), merge: merge.concat(typed),
    };
    const result = await call("POST", "/api/review/decide", body);
    if (!result.ok) {
      error.textContent = result.data.error || "Not saved.";
      (decision === "accept" ? en : f.querySelector("button"))?.focus();
      return;
    }
    status.textContent = result.data.message;
    document.getElementById("left").textContent = result.data.left;
    const li = queue.querySelector(`li[data-key="${CSS.escape(body.key)}"]`);
    if (decision === "skip") {
      li?.classList.add("skipped");
      if (li) queue.appendChild(li);
    } else {
      li?.remove();
      for (const key of merge) queue.querySelector(`li[data-key="${CSS.escape(key)}"]`)?.remove();
    }
    const next = result.data.next && queue.querySelector(`li[data-key="${CSS.escape(result.data.next)}"]`);
    if (next) {
      await select(next);
    } else {
      pane.innerHTML = '<p id="done">Nothing left to review.</p>';
    }
  }

  function wire() {
    const f = form();
    if (!f) return;
    document.getElementById("item-term")?.setAttribute("tabindex", "-1");
    f.addEventListener("submit", (event) => {
      event.preventDefault();
      decide(event.submitter?.value || "accept");
    });
    f.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && typing(event)) {
        event.target.blur();
        event.preventDefault();
      }
    });
  }

  queue.addEventListener("click", (event) => {
    const li = event.target.closest("li");
    if (!li) return;
    event.preventDefault();
    select(li, true);
  });

  document.addEventListener("keydown", (event) => {
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    const keys = {
      a: () => decide("accept"),
      r: () => decide("reject"),
      s: () => decide("skip"),
      e: () => { const en = field("en"); en?.focus(); en?.select(); },
      v: () => field("variants")?.focus(),
      m: () => (form()?.querySelector('input[name="merge"]') || field("merge-other"))?.focus(),
      j: () => move(1),
      k: () => move(-1),
      ArrowDown: () => move(1),
      ArrowUp: () => move(-1),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  wire();
}

// ------------------------------------------------------------------ concept

function conceptPage() {
  const form = document.getElementById("concept");
  if (!form) return;
  const id = form.dataset.id;
  let timer = null;

  function fields() {
    const data = new FormData(form);
    const out = {};
    for (const name of ["nl", "nl_variants", "en", "en_alternatives", "en_forbidden", "status", "pos",
      "subject", "definition", "note", "context", "sources"]) out[name] = data.get(name) || "";
    out.dnt = data.get("dnt") ? "yes" : "";
    out.case_sensitive = data.get("case_sensitive") ? "yes" : "";
    return out;
  }

  function show(problems) {
    form.querySelectorAll(".problems").forEach((ul) => { ul.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    form.querySelectorAll(".field.invalid").forEach((el) => el.classList.remove("invalid"));
    let general = document.getElementById("p-general");
    for (const p of problems) {
      const ul = document.getElementById(`p-${p.field}`) || general;
      if (!ul) continue;
      const li = document.createElement("li");
      li.textContent = p.message + (p.hint ? ` (fix: ${p.hint})` : "");
      ul.appendChild(li);
      const input = document.getElementById(`f-${p.field}`);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.closest(".field")?.classList.add("invalid");
      }
    }
  }

  async function check() {
    const result = await call("POST", "/api/terms/validate", { id, fields: fields() });
    if (result.ok) show(result.data.problems);
  }

  if (!document.getElementById("p-general")) {
    const ul = document.createElement("ul");
    ul.id = "p-general";
    ul.className = "problems";
    ul.setAttribute("aria-live", "polite");
    form.prepend(ul);
  }
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });

  // A change made elsewhere (the command line, another page) is announced at once.
  const version = form.querySelector('input[name="version"]').value;
  const notice = document.getElementById("changed");
  setInterval(async () => {
    if (document.getElementById("conflict")) return;
    const result = await call("GET", `/api/terms/concept?id=${encodeURIComponent(id)}`);
    if (notice) notice.hidden = !(result.ok ? result.data.version !== version : result.status === 404);
  }, 3000);
}

function termbasePage() {
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && !typing(event)) {
      event.preventDefault();
      document.getElementById("q")?.focus();
    }
  });
}

document.querySelectorAll("[data-back]").forEach((a) => a.addEventListener("click", (event) => {
  event.preventDefault();
  history.back();
}));

const page = document.body.dataset.page;
if (page === "review") reviewPage();
if (page === "termbase") { termbasePage(); conceptPage(); }
if (page === "concordance" || page === "qa") termbasePage();
