// ballotdrill live: the page for players, facilitator and evaluator. No library, no build step.
// The token stays in this tab (sessionStorage) and travels only in the Authorization header.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem("ballotdrill-token") || "";
  let version = null;
  let view = null;
  let received = 0;       // when the current view arrived (ms, this browser's clock): countdowns run from it
  let known = null;       // keys of the items already announced (null: the first view, whose items are not news)
  const REMIND_AT = [60, 15];  // seconds left at which an open decision is announced again
  const REARM = 5;  // seconds above a mark the time left must rise (the facilitator slowed the clock) to re-arm it
  let reminded = new Set();
  const arrived = new Set();  // keys of the open decisions already shown (a reminder mark passed on arrival is not news)
  let live = false;       // whether the last read of the view succeeded (else the clock line says it is not live)

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

  // New messages, questions, decisions and how decisions closed are announced in a polite live region, once each;
  // the items of the first view after joining are not news.
  function announce(text) {
    const log = $("news");
    log.append(el("p", text));
    while (log.childElementCount > 10) log.firstElementChild.remove();
  }
  function news(v) {
    const items = [];
    for (const r of v.requests) items.push(["ask:" + r.key, "New decision #" + r.number + " on " + r.incident + ": " +
      r.options.join(" or ") + " (default " + r.default + ", answer by " + r.deadline + ")"]);
    for (const d of v.decided || []) items.push(["done:" + d.key, "Decision " + d.text]);
    for (const m of v.messages) items.push(["msg:" + m.inject + ":" + m.clock,
      "New message" + (m.from ? " from " + m.from : "") + ": " + m.text]);
    for (const q of v.questions) items.push(["q:" + q.inject + ":" + q.number, "New question " + q.inject + ": " + q.text]);
    const first = known === null;
    if (first) known = new Set();
    for (const [key, text] of items) {
      if (known.has(key)) continue;
      known.add(key);
      if (!first) announce(text);
    }
  }

  // An open decision's time left, counted down on this browser's clock from the server's last word; it stands
  // still while the exercise is paused.
  function secondsLeft(r) {
    if (view && (view.paused || view.ended)) return r.seconds_left;
    return Math.max(0, r.seconds_left - (Date.now() - received) / 1000);
  }
  function shown(seconds) {
    const s = Math.ceil(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function tick() {
    if (!view) return;
    for (const r of view.requests) {
      const left = secondsLeft(r);
      const node = document.querySelector('[data-countdown="' + CSS.escape(r.key) + '"]');
      if (node) node.textContent = view.paused ? shown(left) + " left (paused)" : shown(left) + " left";
      if (view.role !== "player") continue;  // the reminders are the player's
      for (const mark of REMIND_AT) {
        const key = r.key + "@" + mark;
        if (left <= mark && !reminded.has(key)) {
          reminded.add(key);
          if (left > 0) announce("Decision #" + r.number + ": about " + Math.ceil(left) + " seconds left, then the default " +
            r.default + " is taken");
        }
      }
    }
  }

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
      const line = el("p", "#" + r.number + " " + r.incident + " · " + r.step + " (default " + r.default +
        ", answer by " + r.deadline + ") · ");
      line.append(el("span", "", { class: "countdown", role: "timer", "aria-live": "off", "data-countdown": r.key }));
      card.append(line);
      for (const mark of REMIND_AT) {
        const key = r.key + "@" + mark;
        if (r.seconds_left > mark + REARM) reminded.delete(key);  // the clock slowed: above the mark again, it comes again
        else if (!arrived.has(r.key) && r.seconds_left <= mark) reminded.add(key);  // passed on arrival: not news
      }
      arrived.add(r.key);
      for (const option of r.options) {
        const button = el("button", option, { type: "button", "data-request": r.key, "data-option": option });
        button.addEventListener("click", () => send("/api/answer", { request: r.key, option }));
        card.append(button);
      }
      return card;
    }));
    if (!v.requests.length) requests.replaceChildren(el("p", "none", { class: "muted" }));
    fill($("decided"), (v.decided || []).slice().reverse(), (d) => el("li", d.text));
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
    $("action-form").hidden = !v.actions.length;  // no form that can only be refused
    $("no-actions").hidden = v.actions.length > 0;
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
    $("joined").hidden = v.role !== "facilitator";
    if (v.role === "facilitator") {
      const select = $("send-inject");
      const chosen = select.value;
      const waiting = v.injects.filter((i) => !i.delivered && i.kind !== "background");
      select.replaceChildren(...waiting.map((i) => el("option", i.id, { value: i.id })));
      if (waiting.some((i) => i.id === chosen)) select.value = chosen;
      fill($("players"), v.players || [], (p) => el("li", p.role + ": " + p.text, { class: p.connected ? "" : "muted" }));
    }
    fill($("all-incidents"), v.incidents, (i) => el("li", i.id + " " + (i.title || i.type || "") + " — " + i.status +
      (i.current ? " — " + i.current : "")));
    fill($("all-requests"), v.requests, (r) => {
      const item = el("li", "#" + r.number + " " + r.actor + ": " + r.key + " (" + r.options.join("/") + ", default " +
        r.default + ", by " + r.deadline + ") · ");
      item.append(el("span", "", { class: "countdown", role: "timer", "aria-live": "off", "data-countdown": r.key }));
      return item;
    });
    fill($("all-decided"), (v.decided || []).slice().reverse(), (d) => el("li", d.actor + " " + d.text));
    fill($("timeline"), v.journal.slice().reverse(), (line) => el("li", line));
  }

  // The clock line: while the server cannot be reached the clock is not running here (stopped, or restarting).
  function clockLine() {
    const v = view;
    if (!v) return;
    const state = v.ended ? "ended" : !live ? "stopped: not connected" : v.paused ? "paused" : "speed " + v.speed;
    $("clock").textContent = v.title + " · " + v.clock + " · " + state;
  }
  function connected(ok, text) {
    live = ok;
    document.body.dataset.connected = ok ? "yes" : "no";
    if (text) say(text);
    clockLine();
  }

  function render(v) {
    view = v;
    received = Date.now();
    connected(true, $("status").textContent.startsWith("not connected") ? "connected" : "");
    $("join").hidden = true;
    $("player").hidden = v.role !== "player";
    $("control").hidden = v.role === "player";
    if (v.role === "player") { renderPlayer(v); news(v); } else renderControl(v);
    tick();
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
        connected(false, "not connected: " + e.message);
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
      if (closed.code === 4401) { connected(false, "not connected: " + closed.reason); $("join").hidden = false; return; }
      if (!opened) { document.body.dataset.transport = "polling"; poll(); return; }
      connected(false, "not connected: reconnecting");
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
      known = null;
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
    setInterval(tick, 1000);
    if (token) start();
  });
})();
