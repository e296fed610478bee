// Reasoner playground: streams a model's answer through /v1/chat/completions and marks each claim with the
// verifier's verdict (/reasoner/check) as it appears. Plain JS, no build step, no network beyond this server.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
let gold = null; // the exact answer of a drawn problem; typed problems are evaluated by the server

function headers() {
  const h = { "Content-Type": "application/json" };
  const key = sessionStorage.getItem("reasoner-key");
  if (key) h.Authorization = "Bearer " + key;
  return h;
}

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: headers() });
  if (response.status === 401) {
    $("#key-box").hidden = false;
    throw new Error("this server needs an API key: enter it above");
  }
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  }
  return response;
}

function showError(error) { $("#error").textContent = error ? String(error.message ?? error) : ""; }

async function loadModels() {
  const models = (await (await api("/v1/models")).json()).data.map(m => m.id);
  document.querySelectorAll(".model").forEach((select, i) => {
    select.replaceChildren(...models.map(id => new Option(id, id)));
    select.selectedIndex = Math.min(i, models.length - 1);
  });
  const presets = await (await api("/reasoner/presets")).json();
  $("#preset").replaceChildren(...presets.map(p => new Option(p, p)));
  $("#preset").value = presets.includes("add-upto-4d") ? "add-upto-4d" : presets[0];
}

async function draw() {
  showError(null);
  try {
    const problem = await (await api(`/reasoner/problem?preset=${encodeURIComponent($("#preset").value)}`)).json();
    $("#question").value = problem.question;
    gold = problem.answer;
    $("#gold").textContent = `held-out problem from ${problem.preset}; exact answer hidden until the model answers`;
  } catch (e) { showError(e); }
}

// Text with each checked claim wrapped and marked; built from text nodes, never from HTML.
function render(output, text, claims) {
  const nodes = [];
  let at = 0;
  for (const claim of claims.sort((a, b) => a.start - b.start)) {
    if (claim.start < at) continue;
    nodes.push(document.createTextNode(text.slice(at, claim.start)));
    const span = document.createElement("span");
    span.className = "claim " + (claim.correct ? "ok" : "bad");
    span.title = claim.correct ? "checked: right" : "checked: wrong";
    span.textContent = text.slice(claim.start, claim.end);
    const mark = document.createElement("span");
    mark.className = "mark " + (claim.correct ? "ok" : "bad");
    mark.textContent = claim.correct ? " ✓" : " ✗";
    nodes.push(span, mark);
    at = claim.end;
  }
  nodes.push(document.createTextNode(text.slice(at)));
  output.replaceChildren(...nodes);
}

async function solvePane(pane, question) {
  const output = $(".output", pane), status = $(".status", pane), model = $(".model", pane).value;
  output.textContent = "";
  status.textContent = "waiting…";
  let text = "", tokens = 0, finish = null, verdict = null, checking = 0, pending = false;
  const started = performance.now();
  let firstToken = null;

  const check = async (final) => {
    const ticket = ++checking;
    const body = { text, expression: question, final };
    if (gold !== null) body.answer = gold;
    const result = await (await api("/reasoner/check", { method: "POST", body: JSON.stringify(body) })).json();
    if (ticket === checking || final) render(output, text, result.claims);
    return result;
  };
  const scheduleCheck = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; check(false).catch(showError); }, 120);
  };

  const request = {
    model, stream: true, stream_options: { include_usage: true },
    messages: [{ role: "user", content: question }],
    temperature: Number($("#temperature").value),
  };
  if ($("#max-tokens").value) request.max_tokens = Number($("#max-tokens").value); // empty: the rest of the context
  if (gold !== null) request.reasoner = { answer: gold };
  const response = await api("/v1/chat/completions", { method: "POST", body: JSON.stringify(request) });
  const reader = response.body.getReader(), decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (!event.startsWith("data: ")) continue;
      const data = event.slice(6);
      if (data === "[DONE]") continue;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(chunk.error.message);
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      if (choice.delta?.content) {
        firstToken ??= performance.now();
        text += choice.delta.content;
        tokens++;
        output.textContent = text;
        scheduleCheck();
        const seconds = (performance.now() - started) / 1000;
        status.textContent = `${tokens} tokens, ${(tokens / seconds).toFixed(1)} tokens/s`;
      }
      if (choice.finish_reason) finish = choice.finish_reason;
      if (choice.reasoner) verdict = choice.reasoner;
    }
  }
  const result = await check(true);
  const seconds = (performance.now() - started) / 1000;
  const ttft = firstToken ? ((firstToken - started) / 1000).toFixed(2) : "-";
  status.replaceChildren();
  const answer = result.answer ?? {};
  const line = document.createElement("span");
  const correct = verdict ? verdict.accuracy === 1 : answer.correct;
  line.className = "verdict " + (correct ? "ok" : "bad");
  line.textContent = correct === null || correct === undefined
    ? `answer ${answer.text ?? "none"}`
    : correct ? `answer ${answer.text}: correct` : `answer ${answer.text ?? "none"}: wrong, expected ${answer.expected}`;
  status.append(line, document.createTextNode(
    ` · steps ${result.correct}/${result.found} right · ${tokens} tokens in ${seconds.toFixed(2)} s (${(tokens / seconds).toFixed(1)} tokens/s, first token ${ttft} s) · finish: ${finish}`));
}

async function solve() {
  showError(null);
  const question = $("#question").value.trim();
  if (!question) { showError("type a problem or draw one"); return; }
  const panes = [...document.querySelectorAll(".pane")].filter(p => !p.hidden);
  try { await Promise.all(panes.map(p => solvePane(p, question))); } catch (e) { showError(e); }
}

$("#key").addEventListener("change", e => { sessionStorage.setItem("reasoner-key", e.target.value); loadModels().then(() => showError(null), showError); });
$("#solve").addEventListener("click", solve);
$("#question").addEventListener("keydown", e => { if (e.key === "Enter") solve(); });
$("#question").addEventListener("input", () => { gold = null; $("#gold").textContent = ""; });
$("#draw").addEventListener("click", draw);
$("#compare").addEventListener("change", e => { $("#pane-1").hidden = !e.target.checked; });
// A link can carry a problem: /?q=457%20%2B%20268&model=cot&compare=answer-only&run=1 fills the page (and solves).
async function fromLink() {
  await loadModels();
  const link = new URLSearchParams(location.search);
  if (link.get("model")) $("#pane-0 .model").value = link.get("model");
  if (link.get("compare")) {
    $("#compare").checked = true;
    $("#pane-1").hidden = false;
    $("#pane-1 .model").value = link.get("compare");
  }
  if (link.get("q")) $("#question").value = link.get("q");
  if (link.get("q") && link.get("run") === "1") await solve();
}

fromLink().catch(showError);
