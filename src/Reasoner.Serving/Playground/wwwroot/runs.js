// Reasoner runs: the run folders the server was given with --runs, read only: plots, recent metrics and sample
// completions with their verdicts. Images are fetched with the API key and shown from blob URLs.
"use strict";

const $ = (selector) => document.querySelector(selector);

function headers() {
  const key = sessionStorage.getItem("reasoner-key");
  return key ? { Authorization: "Bearer " + key } : {};
}

async function api(path) {
  const response = await fetch(path, { headers: headers() });
  if (response.status === 401) { $("#key-box").hidden = false; throw new Error("this server needs an API key: enter it above"); }
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  }
  return response;
}

const cell = (text, pre = false) => {
  const td = document.createElement("td");
  if (pre) { const p = document.createElement("pre"); p.textContent = text; td.append(p); } else td.textContent = text;
  return td;
};

function summary(metrics) {
  if (!metrics) return "";
  return Object.entries(metrics).filter(([, v]) => typeof v !== "object").map(([k, v]) => `${k} ${typeof v === "number" ? +v.toFixed(4) : v}`).join(", ");
}

async function show(name) {
  const run = await (await api(`/reasoner/run?name=${encodeURIComponent(name)}`)).json();
  $("#detail").hidden = false;
  $("#detail-name").textContent = run.name;
  $("#plots").replaceChildren();
  for (const plot of run.plots) {
    const blob = await (await api(`/reasoner/run/plot?name=${encodeURIComponent(name)}&file=${encodeURIComponent(plot)}`)).blob();
    const img = document.createElement("img");
    img.alt = plot;
    img.src = URL.createObjectURL(blob);
    $("#plots").append(img);
  }
  $("#metrics").textContent = run.recent_metrics.map(m => JSON.stringify(m)).join("\n");
  $("#samples-title").textContent = run.samples_file ? `Sample completions (${run.samples_file})` : "No sample completions in this run";
  $("#samples tbody").replaceChildren(...run.samples.map(s => {
    const tr = document.createElement("tr");
    const verdict = s.correct !== undefined ? (s.correct ? "correct" : "wrong") + (s.step_validity !== undefined && s.step_validity !== null ? `, steps ${s.step_validity}` : "")
      : `reward ${s.reward}`;
    tr.append(cell(s.prompt ?? s.id ?? ""), cell(s.completion ?? "", true), cell(verdict));
    return tr;
  }));
}

async function load() {
  const runs = await (await api("/reasoner/runs")).json();
  $("#runs tbody").replaceChildren(...runs.map(r => {
    const tr = document.createElement("tr");
    tr.className = "selectable";
    tr.append(cell(r.name), cell(summary(r.last_metrics)), cell(r.modified));
    tr.addEventListener("click", () => show(r.name).catch(e => { $("#error").textContent = e.message; }));
    return tr;
  }));
}

$("#key").addEventListener("change", e => { sessionStorage.setItem("reasoner-key", e.target.value); load().catch(e2 => { $("#error").textContent = e2.message; }); });
load().catch(e => { $("#error").textContent = e.message; });
