// ballotdrill live: the page for players, facilitator and evaluator. No library, no build step.
// The token stays in this tab (sessionStorage) and travels only in the Authorization header.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem("ballotdrill-token") || "";
  let version = null;
  let view = null;

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  function fill(list, items, make) {
    list.replaceChildren(...items.map(make));
    if (!items.length) list.replaceChildren(el("li", "none", { class: "muted" }));
  }
  function say(text) { $("status").textContent = text; }

  async function call(method, path, body) {
    const init = { method, headers: { Authorization: "Bearer " + token } };
    if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    const response = await fetch(path, init);
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) {
      const detail = typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail || response.statusText);
      throw new Error(detail);
    }
    return data;
  }
  async function send(path, body) {
    try {
      const done = await call("POST", path, body);
      say("accepted: " + done.message);  // shown only after the journal commit
      return true;
    } catch (e) { say("refused: " + e.message); return false; }
  }

  function renderPlayer(v) {
    $("player-title").textContent = "Your role: " + v.actor;
    const requests = $("requests");
    requests.replaceChildren(...v.requests.map((r) => {
      const card = el("div", null, { class: "card", role: "group", "aria-label": "decision " + r.number });
      card.append(el("p", "#" + r.number + " " + r.incident + " · " + r.step + " (default " + r.default +
        ", answer by " + r.deadline + ", about " + Math.round(r.seconds_left) + " s left)"));
      for (const option of r.options) {
        const button = el("button", option, { type: "button", "data-request": r.key, "data-option": option });
        button.addEventListener("click", () => send("/api/answer", { request: r.key, option }));
        card.append(button);
      }
      return card;
    }));
    if (!v.requests.length) requests.replaceChildren(el("p", "none", { class: "muted" }));
    const questions = $("questions");
    questions.replaceChildren(...v.questions.map((q, i) => {
      const form = el("form", null, { class: "card" });
      const id = "answer-" + i;
      form.append(el("p", q.inject + " · " + q.text), el("label", "Your answer", { for: id }));
      const area = el("textarea", null, { id, rows: "2", required: "" });
      form.append(area, el("button", "Send answer", { type: "submit" }));
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        if (await send("/api/discuss", { inject: q.inject, question: q.number, text: area.value })) area.value = "";
      });
      return form;
    }));
    if (!v.questions.length) questions.replaceChildren(el("p", "none", { class: "muted" }));
    const actions = $("action");
    if (actions.options.length !== v.actions.length) {
      actions.replaceChildren(...v.actions.map((a) => el("option", a, { value: a })));
    }
    const incidents = $("action-incident");
    const chosen = incidents.value;
    incidents.replaceChildren(el("option", "(none)", { value: "" }),
      ...v.incidents.map((i) => el("option", i.id, { value: i.id })));
    incidents.value = chosen;
    fill($("messages"), v.messages, (m) => el("li", m.clock + (m.from ? " from " + m.from : "") + ": " + m.text));
    fill($("incidents"), v.incidents, (i) => el("li", i.id + " " + (i.title || i.type || "") + " — " + i.status +
      (i.current ? " — " + i.current : "")));
  }

  function renderControl(v) {
    $("control-title").textContent = v.role === "facilitator" ? "Facilitator" : "Evaluator (read-only, observations)";
    $("facilitator-tools").hidden = v.role !== "facilitator";
    if (v.role === "facilitator") {
      const select = $("send-inject");
      const chosen = select.value;
      const waiting = v.injects.filter((i) => !i.delivered && i.kind !== "background");
      select.replaceChildren(...waiting.map((i) => el("option", i.id, { value: i.id })));
      if (waiting.some((i) => i.id === chosen)) select.value = chosen;
    }
    fill($("all-incidents"), v.incidents, (i) => el("li", i.id + " " + (i.title || i.type || "") + " — " + i.status +
      (i.current ? " — " + i.current : "")));
    fill($("all-requests"), v.requests, (r) => el("li", "#" + r.number + " " + r.actor + ": " + r.key + " (" +
      r.options.join("/") + ", default " + r.default + ", by " + r.deadline + ")"));
    fill($("timeline"), v.journal.slice().reverse(), (line) => el("li", line));
  }

  function render(v) {
    view = v;
    $("clock").textContent = v.title + " · " + v.clock + (v.paused ? " · paused" : " · speed " + v.speed) +
      (v.ended ? " · ended" : "");
    $("join").hidden = true;
    $("player").hidden = v.role !== "player";
    $("control").hidden = v.role === "player";
    if (v.role === "player") renderPlayer(v); else renderControl(v);
  }

  async function poll() {
    document.body.dataset.transport = "polling";
    while (token) {
      try {
        const data = await call("GET", "/api/state" + (version === null ? "" : "?since=" + version));
        version = data.version;
        render(data.view);
        if (data.view.ended) { say("the exercise has ended"); return; }
      } catch (e) {
        say("not connected: " + e.message);
        if (/token/.test(e.message)) { $("join").hidden = false; return; }
        await new Promise((r) => setTimeout(r, 1000));  // the server restarts (resume): try again
      }
    }
  }

  // Views arrive on a WebSocket (the token in its first message, never in the URL); if the
  // socket cannot open at all, long polling takes over. A socket that drops is reopened
  // (the server restarts on resume).
  function listen() {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/ws");
    let opened = false;
    ws.onopen = () => { opened = true; document.body.dataset.transport = "websocket"; ws.send(JSON.stringify({ token })); };
    ws.onmessage = (message) => {
      const data = JSON.parse(message.data);
      version = data.version;
      render(data.view);
      if (data.view.ended) say("the exercise has ended");
    };
    ws.onclose = (closed) => {
      if (view && view.ended) return;
      if (closed.code === 4401) { say("not connected: " + closed.reason); $("join").hidden = false; return; }
      if (!opened) { document.body.dataset.transport = "polling"; poll(); return; }
      say("not connected: reconnecting");
      setTimeout(listen, 1000);
    };
  }

  function start() {
    version = null;
    if ("WebSocket" in window) listen(); else poll();
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("join-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      token = $("token").value.trim();
      sessionStorage.setItem("ballotdrill-token", token);
      $("token").value = "";
      start();
    });
    $("action-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const incident = $("action-incident").value;
      send("/api/action", { action: $("action").value, incident: incident || null });
    });
    $("pause").addEventListener("click", () => send("/api/control", { command: "pause" }));
    $("resume").addEventListener("click", () => send("/api/control", { command: "resume" }));
    $("end").addEventListener("click", () => send("/api/control", { command: "end" }));
    $("speed-form").addEventListener("submit", (ev) => { ev.preventDefault(); send("/api/speed", { speed: Number($("speed").value) }); });
    $("send-form").addEventListener("submit", (ev) => { ev.preventDefault(); send("/api/send-now", { inject: $("send-inject").value }); });
    $("inject-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (await send("/api/inject", { text: $("inject-text").value })) $("inject-text").value = "";
    });
    $("note-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (await send("/api/note", { text: $("note-text").value })) $("note-text").value = "";
    });
    if (token) start();
  });
})();
