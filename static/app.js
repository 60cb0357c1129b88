// WhoSaid keyboard layer for the desk. Every change is one htmx request that swaps
// the changed row; this file only moves the focus and turns keys into requests.
(() => {
  "use strict";

  const reviewTable = document.getElementById("review");
  if (reviewTable) adjudication(reviewTable);
  const importForm = document.getElementById("import-form");
  if (importForm) severalFiles(importForm);

  const desk = document.getElementById("desk");
  if (!desk) return;

  const base = `/articles/${desk.dataset.articleId}`;
  const page = Number(desk.dataset.page);
  const pages = Number(desk.dataset.pages);
  let current = null; // position (1-based) of the focused sentence
  let cutIndex = -1; // active cut point in split mode (none until an arrow is pressed)

  const rowAt = (n) => document.getElementById(`s-${n}`);
  const allRows = () => Array.from(document.querySelectorAll("#sentences > .row"));
  const focusedRow = () => (current === null ? null : rowAt(current));
  const openDialog = () => document.querySelector("dialog[open]");

  function focusRow(row, scroll = true) {
    if (!row) return;
    for (const old of document.querySelectorAll("#sentences > .row.focused")) {
      if (old !== row) old.classList.remove("focused");
    }
    row.classList.add("focused");
    current = Number(row.dataset.n);
    if (!openDialog()) row.focus({ preventScroll: true });
    if (scroll) row.scrollIntoView({ block: "nearest" });
    if (location.hash !== `#s-${current}`) history.replaceState(null, "", `#s-${current}`);
  }

  function move(delta) {
    const rows = allRows();
    if (!rows.length) return;
    const at = rows.findIndex((r) => Number(r.dataset.n) === current);
    const next = at + delta;
    if (next >= rows.length && page < pages) {
      location.assign(`${base}?page=${page + 1}`);
    } else if (next < 0 && page > 1) {
      location.assign(`${base}?page=${page - 1}&at=${current - 1}#s-${current - 1}`);
    } else {
      focusRow(rows[Math.max(0, Math.min(rows.length - 1, at < 0 ? 0 : next))]);
    }
  }

  // Requests run one after another, in keystroke order; each acts on the sentence that
  // had the focus when its key was pressed, found again by position once its turn comes
  // (an earlier answer may have replaced the row element).
  let queue = Promise.resolve();
  function enqueue(n, method, path, { values = {}, target = null } = {}) {
    const run = () => {
      const whole = path.startsWith("/"); // an article-wide action: /undo, /accept-all
      const row = rowAt(n) || (whole ? document.body : null);
      if (!row) return undefined;
      const url = whole ? `${base}${path}` : `${base}/sentences/${row.dataset.sid}${path ? `/${path}` : ""}`;
      // the version this editor last saw: a write over someone else's newer change is 409
      const sent = method === "POST" && !whole ? { ...values, version: row.dataset.version } : values;
      // while its answer is on the way, no other answer replaces this row element (the
      // answer is swapped into it, and would be lost in a detached one)
      if (!whole) row.dataset.busy = "1";
      const done = () => delete row.dataset.busy;
      return htmx
        .ajax(method, url, {
          source: row,
          target: target ? document.querySelector(target) : row,
          swap: "outerHTML",
          values: sent,
        })
        .then(done, done);
    };
    queue = queue.then(run, run);
    return queue;
  }

  function post(path, values = {}, target = null) {
    if (current === null) return Promise.resolve();
    return enqueue(current, "POST", path.replace(/^\//, ""), { values, target });
  }

  function tagWithKey(key, add) {
    return post("/tag", add ? { key, add: 1 } : { key });
  }

  function acceptAll() {
    return enqueue(current || 1, "POST", "/accept-all", {
      values: { position: current || 1 },
      target: "#sentences",
    });
  }

  function undo() {
    return enqueue(current || 1, "POST", "/undo", {
      values: { position: current || 1 },
      target: "#sentences",
    });
  }

  function enterSplit() {
    const row = focusedRow();
    if (!row || row.classList.contains("splitting")) return;
    cutIndex = -1;
    enqueue(current, "GET", "split");
  }

  function leaveSplit() {
    if (current !== null) enqueue(current, "GET", "");
  }

  function showCut(delta) {
    const cuts = Array.from(focusedRow().querySelectorAll(".cut"));
    if (!cuts.length) return;
    cutIndex = cutIndex < 0 && delta < 0 ? cuts.length - 1 : (cutIndex + delta + cuts.length) % cuts.length;
    cuts.forEach((c, i) => c.classList.toggle("active", i === cutIndex));
    cuts[cutIndex].scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function splitAt(button) {
    post("/split", { at: button.dataset.at }, "#sentences");
  }

  function openNewSource() {
    const row = focusedRow();
    const dialog = document.getElementById("new-source-dialog");
    if (!row || !dialog) return;
    dialog.querySelector("input[name=sentence_id]").value = row.dataset.sid;
    dialog.showModal();
    dialog.querySelector("input[name=name]").focus();
  }

  function openHistory() {
    const row = focusedRow();
    const dialog = document.getElementById("history-dialog");
    if (!row || !dialog) return;
    htmx
      .ajax("GET", `${base}/sentences/${row.dataset.sid}/history`, {
        source: row,
        target: "#history-body",
        swap: "innerHTML",
      })
      .then(() => dialog.showModal());
  }

  function openHelp() {
    document.getElementById("help-dialog").showModal();
  }

  const digit = (event) => {
    const m = /^(?:Digit|Numpad)([0-9])$/.exec(event.code);
    return m ? Number(m[1]) : null;
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (openDialog()) return; // dialogs handle their own keys (Esc closes them)
    const t = event.target;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    const row = focusedRow();
    if (row && row.classList.contains("splitting")) {
      const keys = {
        ArrowRight: () => showCut(1),
        ArrowLeft: () => showCut(-1),
        Enter: () => {
          const active = row.querySelector(".cut.active") || row.querySelector(".cut");
          if (active) splitAt(active);
        },
        Escape: leaveSplit,
      };
      if (keys[event.key]) {
        event.preventDefault();
        keys[event.key]();
      }
      return;
    }
    const number = digit(event);
    if (number !== null) {
      event.preventDefault();
      tagWithKey(number, event.shiftKey && number !== 0);
      return;
    }
    const actions = {
      j: () => move(1),
      ArrowDown: () => move(1),
      k: () => move(-1),
      ArrowUp: () => move(-1),
      g: () => focusRow(allRows()[0]),
      Home: () => focusRow(allRows()[0]),
      G: () => focusRow(allRows().at(-1)),
      End: () => focusRow(allRows().at(-1)),
      Enter: () => post("/accept"),
      A: acceptAll,
      x: () => post("/clear"),
      Backspace: () => post("/clear"),
      Delete: () => post("/clear"),
      n: openNewSource,
      s: enterSplit,
      m: () => post("/merge", {}, "#sentences"),
      u: undo,
      h: openHistory,
      "?": openHelp,
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("click", (event) => {
    const t = event.target;
    const cut = t.closest(".cut");
    if (cut) return splitAt(cut);
    const sourceButton = t.closest(".source-btn");
    if (sourceButton) return post("/tag", { source_id: sourceButton.dataset.sourceId });
    const action = t.closest("[data-action]");
    if (action) {
      const name = action.dataset.action;
      if (name === "close-dialog") action.closest("dialog").close();
      else if (name === "new-source") openNewSource();
      else if (name === "help") openHelp();
      else if (name === "clear") post("/clear");
      else if (name === "accept") post("/accept");
      else if (name === "accept-all") acceptAll();
      else if (name === "undo") undo();
      else if (name === "split") enterSplit();
      else if (name === "merge") post("/merge", {}, "#sentences");
      else if (name === "keep-mine") {
        const row = action.closest(".row");
        enqueue(Number(row.dataset.n), "POST", action.dataset.retry, {
          values: JSON.parse(action.dataset.values || "{}"),
        });
      } else if (name === "take-theirs") {
        enqueue(Number(action.closest(".row").dataset.n), "GET", "");
      }
      return;
    }
    const row = t.closest("#sentences > .row");
    if (row && !t.closest("a, button")) focusRow(row, false);
  });

  // A change to one sentence can move the suggestions of the rows after it ("the ministry"
  // now means the source just tagged). The answer to the change carries only its own row;
  // the rows after it are fetched next, one fetch at a time, off the keystroke's path.
  let following = Promise.resolve();
  document.body.addEventListener("whosaid:changed", (event) => {
    const sid = event.detail.sid;
    const fetchRows = () =>
      htmx.ajax("GET", `${base}/sentences/${sid}/following`, { source: desk, target: desk, swap: "none" });
    following = following.then(fetchRows, fetchRows);
  });

  // A row sent out of band never replaces a newer version of itself (an answer that
  // overtook it), and an identical row is left alone (no flicker, focus untouched).
  document.body.addEventListener("htmx:oobBeforeSwap", (event) => {
    const old = event.detail.target;
    const fragment = event.detail.fragment;
    const incoming = fragment instanceof DocumentFragment ? fragment.firstElementChild : fragment;
    if (!old.classList || !old.classList.contains("row") || !incoming || !incoming.dataset) return;
    if (incoming.dataset.sid !== old.dataset.sid) return;
    if (old.dataset.busy) {
      event.detail.shouldSwap = false; // this editor's own change to it is on the way
      return;
    }
    const was = Number(old.dataset.version);
    const now = Number(incoming.dataset.version);
    if (now < was || (now === was && incoming.innerHTML === old.innerHTML)) {
      event.detail.shouldSwap = false;
    }
  });

  // A row's own answer is about to be swapped in: it may replace the row again.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (target && target.dataset && target.dataset.busy) delete target.dataset.busy;
  });

  // After any swap, put the focus back on the sentence that had it.
  const restore = () => {
    const row = focusedRow() || rowAt(Math.min(current || 1, allRows().length));
    if (row) focusRow(row, false);
  };
  document.body.addEventListener("htmx:afterSettle", restore);
  document.body.addEventListener("htmx:oobAfterSwap", restore);
  document.body.addEventListener("whosaid:source-created", () => {
    const dialog = document.getElementById("new-source-dialog");
    if (dialog.open) dialog.close();
  });
  for (const dialog of document.querySelectorAll("dialog")) {
    dialog.addEventListener("close", () => {
      const row = focusedRow();
      if (row) row.focus({ preventScroll: true });
    });
  }

  // Deep links: /articles/ID#s-N focuses sentence N (on whichever page holds it).
  const wanted = /^#s-(\d+)$/.exec(location.hash);
  if (wanted) {
    const row = rowAt(wanted[1]);
    if (row) focusRow(row);
    else if (!new URLSearchParams(location.search).has("at")) {
      location.replace(`${base}?at=${wanted[1]}#s-${wanted[1]}`);
    }
  } else {
    const first = allRows()[0];
    if (first) focusRow(first, false);
  }

  // The review page: j/k move, a or b makes that blind tagger's choice the final one.
  function adjudication(table) {
    const base = `/articles/${table.dataset.articleId}`;
    let at = 0;
    const rows = () => Array.from(table.querySelectorAll("tbody tr"));
    const mark = () => {
      const all = rows();
      all.forEach((r, i) => r.classList.toggle("focused", i === at));
      if (all[at]) all[at].scrollIntoView({ block: "nearest" });
    };
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest && event.target.closest("input, select, textarea")) return;
      const all = rows();
      if (event.key === "j" || event.key === "ArrowDown") at = Math.min(all.length - 1, at + 1);
      else if (event.key === "k" || event.key === "ArrowUp") at = Math.max(0, at - 1);
      else if (event.key === "a" || event.key === "b") {
        const row = all[at];
        htmx.ajax("POST", `${base}/sentences/${row.dataset.sid}/adjudicate`, {
          source: row, target: row, swap: "outerHTML", values: { pick: event.key },
        }).then(mark);
      } else return;
      event.preventDefault();
      mark();
    });
    mark();
  }

  // The import page: several files go up one after another, each with its own progress.
  function severalFiles(form) {
    document.body.addEventListener("htmx:beforeRequest", (event) => {
      const current = document.getElementById("import-form");
      const files = current ? current.querySelector("input[type=file]").files : [];
      if (event.detail.elt !== current || files.length < 2) return;
      event.preventDefault();
      uploadAll(current, Array.from(files));
    });
  }

  function csrfToken() {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
  }

  async function uploadAll(form, files) {
    const list = document.getElementById("upload-list");
    list.replaceChildren();
    const rows = files.map((file) => {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = file.name;
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      const status = document.createElement("span");
      status.textContent = "waiting";
      li.append(name, bar, status);
      list.append(li);
      return { file, li, bar, status };
    });
    let imported = 0;
    for (const row of rows) {
      row.status.textContent = "uploading…";
      const answer = await upload(form, row);
      row.bar.value = 100;
      row.li.className = answer.status || "refused";
      if (answer.status === "imported") {
        imported += 1;
        const link = document.createElement("a");
        link.href = `/articles/${answer.id}`;
        link.textContent = `imported: ${answer.title} (${answer.sentences} sentences)`;
        row.status.replaceChildren(link);
      } else {
        row.status.textContent = `${answer.status || "refused"}: ${answer.message || "failed"}`;
      }
    }
    const done = document.createElement("li");
    done.textContent = `${imported} of ${rows.length} files imported.`;
    list.append(done);
  }

  function upload(form, row) {
    return new Promise((resolve) => {
      const data = new FormData();
      data.append("file", row.file);
      data.append("outlet", form.querySelector("input[name=outlet]").value);
      data.append("published_at", form.querySelector("input[name=published_at]").value);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/articles/upload");
      xhr.setRequestHeader("X-CSRF-Token", csrfToken());
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) row.bar.value = Math.round((95 * e.loaded) / e.total);
      });
      xhr.addEventListener("load", () => {
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch (_) {
          resolve({ status: "refused", message: `the server answered ${xhr.status}` });
        }
      });
      xhr.addEventListener("error", () => resolve({ status: "refused", message: "network error" }));
      xhr.send(data);
    });
  }
})();
