// views/voices.js is the Voices page: create a voice from checked samples,
// and list, rename, describe or delete the user's voices, or show what a
// ready voice learnt and how to improve it. A new voice is built by a
// worker on the server; while one is, the page asks again every few
// seconds and updates its row when it is ready or has failed.

import * as api from "../api.js";
import * as consent from "./consent.js";
import { $, announce, busy, clearNotice, confirmDelete, el, fmtDate, fmtSeconds, loading, showError } from "../ui.js";

let nav;
let visible = false;
let pollTimer = 0;

/** POLL_MS is how often the page asks about voices still being built. */
const POLL_MS = 1500;

/** init binds the create form once. */
export function init({ navigate }) {
  nav = navigate;
  $("clone-form").addEventListener("submit", create);
  consent.init();
}

/** show loads samples (for the checkboxes) and voices. */
export function show() {
  visible = true;
  loadSamples();
  refresh();
}

/** leave stops asking about voices being built. */
export function leave() {
  visible = false;
  clearTimeout(pollTimer);
  consent.stopIfRunning();
}

function loadSamples() {
  return loading($("clone-samples"), loadSamplesNow);
}

async function loadSamplesNow() {
  let samples;
  try {
    samples = (await api.listSamples()) || [];
  } catch (err) {
    showError(err);
    return;
  }
  $("clone-nosamples").hidden = samples.length > 0;
  $("clone-submit").disabled = samples.length === 0;
  $("clone-samples").replaceChildren(...samples.map((s, i) => {
    const id = `clone-sample-${i}`;
    const q = s.quality?.score;
    const note = `${fmtSeconds(s.duration_seconds, true)}${Number.isFinite(q) ? `, score ${q}` : ""}`;
    return el("div", { class: "check" },
      el("input", { type: "checkbox", id, value: s.id, checked: samples.length === 1 }),
      el("label", { for: id }, el("span", { text: s.name }), " ", el("span", { class: "muted small", text: note })));
  }));
}

async function create(e) {
  e.preventDefault();
  const name = $("clone-name").value.trim();
  const ids = [...document.querySelectorAll("#clone-samples input:checked")].map((c) => c.value);
  if (!name) return showError("Give the voice a name.");
  if (ids.length === 0) return showError("Tick at least one sample to learn the voice from.");
  clearNotice();
  let model;
  try {
    model = await busy($("clone-submit"), "Creating voice…", () =>
      api.createModel(name, $("clone-description").value.trim(), ids));
  } catch (err) {
    showError(err);
    consent.showCloneRefusal(err);
    return;
  }
  $("clone-name").value = "";
  $("clone-description").value = "";
  for (const c of document.querySelectorAll("#clone-samples input")) c.checked = false;
  announce(`Building the voice ${model.name}. This takes a few seconds to a minute.`);
  await refresh();
}

function refresh() {
  return loading($("voices-list"), refreshNow);
}

async function refreshNow() {
  let models;
  try {
    models = (await api.listModels()) || [];
  } catch (err) {
    showError(err);
    return;
  }
  $("voices-empty").hidden = models.length > 0;
  $("voices-list").replaceChildren(...models.map(voiceRow));
  schedulePoll(models);
}

// schedulePoll asks again later while any voice is still being built.
function schedulePoll(models) {
  clearTimeout(pollTimer);
  if (visible && models.some((m) => m.status === "pending")) pollTimer = setTimeout(poll, POLL_MS);
}

// poll replaces the rows of voices whose status changed, leaving the rest
// (and any open edit form or details panel) alone, and says what happened.
async function poll() {
  let models;
  try {
    models = (await api.listModels()) || [];
  } catch {
    schedulePoll([{ status: "pending" }]); // a blip: try again
    return;
  }
  if (!visible) return;
  for (const m of models) {
    const li = $("voices-list").querySelector(`li[data-id="${CSS.escape(m.id)}"]`);
    if (!li || li.dataset.status === m.status || li.querySelector("form")) continue;
    li.replaceWith(voiceRow(m));
    if (m.status === "ready") announce(`The voice ${m.name} is ready.`);
    if (m.status === "failed") announce(`The voice ${m.name} could not be built.`);
  }
  schedulePoll(models);
}

function voiceRow(m) {
  const n = m.samples?.length || 0;
  const meta = [statusText(m.status), `${n} sample${n === 1 ? "" : "s"}`, fmtDate(m.created_at)].join(" · ");
  const li = el("li", { class: "item", "data-id": m.id, "data-status": m.status });
  const view = el("div", { class: "grow" },
    el("strong", { text: m.name }),
    m.description ? el("p", { class: "small", text: m.description }) : null,
    el("p", { class: "muted small", text: meta }),
    m.status === "pending" ? el("progress", { "aria-label": `Building ${m.name}` }) : null,
    m.status === "failed" && m.failure ? el("p", { class: "small failure", text: m.failure }) : null);
  const ready = m.status === "ready";
  const panel = ready ? el("div", { id: `details-${m.id}`, class: "details", hidden: true }) : null;
  const actions = el("div", { class: "actions" },
    el("button", { type: "button", class: "primary", text: "Speak", disabled: !ready,
      "aria-label": `Speak with ${m.name}`, onclick: () => nav(`/speak?voice=${encodeURIComponent(m.id)}`) }),
    ready ? el("button", { type: "button", text: "Details", "aria-expanded": "false", "aria-controls": panel.id,
      "aria-label": `Details of ${m.name}`, onclick: (e) => toggleDetails(e.currentTarget, panel, m) }) : null,
    el("button", { type: "button", text: "Edit", "aria-label": `Rename or describe ${m.name}`,
      onclick: () => edit(li, m) }),
    el("button", { type: "button", class: "danger", text: "Delete", "aria-label": `Delete voice ${m.name}`,
      onclick: () => remove(m) }));
  li.append(...[view, actions, panel].filter(Boolean));
  return li;
}

// toggleDetails shows or hides a voice's summary, fetching it the first
// time: it is read from the stored profile, so it never changes.
async function toggleDetails(button, panel, m) {
  if (button.getAttribute("aria-expanded") === "true") {
    setExpanded(button, panel, false);
    return;
  }
  if (!panel.dataset.loaded) {
    let summary;
    try {
      summary = await loading(panel, () => busy(button, "Loading…", () => api.modelSummary(m.id)));
    } catch (err) {
      showError(err);
      return;
    }
    panel.replaceChildren(...detailsContent(summary));
    panel.dataset.loaded = "true";
  }
  setExpanded(button, panel, true);
}

// The button keeps its text so its accessible name stays "Details of …";
// aria-expanded tells assistive technology the state, and the stylesheet
// draws it as an arrow.
function setExpanded(button, panel, open) {
  button.setAttribute("aria-expanded", String(open));
  panel.hidden = !open;
}

const dash = "–";

/** detailsContent renders a model summary: a few facts, then the hints as a list. */
function detailsContent(s) {
  const pitch = s.pitch || {};
  const pool = s.pool;
  const hz = (v) => (v > 0 ? `${Math.round(v)}\u00a0Hz` : dash);
  const range = pitch.p05_hz > 0 && pitch.p95_hz > 0 ? `${Math.round(pitch.p05_hz)}–${hz(pitch.p95_hz)}` : dash;
  const covered = pool ? `${pool.phones_covered} of ${pool.phones_total}` : "none (no phone labels)";
  const facts = el("dl", { class: "facts" },
    fact("Median pitch", hz(pitch.median_hz)),
    fact("Pitch range", range),
    fact("Speech analysed", fmtSeconds(s.speech_seconds, true)),
    fact("Quality", s.quality_score > 0 ? `${s.quality_score} / 100` : "unknown"),
    fact("Sounds covered", covered));
  const hints = s.hints || [];
  const list = el("ul", { class: "hints" },
    ...hints.map((h) => el("li", { text: h.charAt(0).toUpperCase() + h.slice(1) })));
  if (hints.length === 0) list.append(el("li", { class: "ok", text: "Nothing to add: the samples cover every sound well." }));
  return [facts, el("h3", { text: "How to improve this voice" }), list];
}

const fact = (term, value) => el("div", {}, el("dt", { text: term }), el("dd", { text: value }));

function statusText(s) {
  if (s === "ready") return "Ready";
  if (s === "failed") return "Failed";
  if (s === "pending") return "Building…";
  return s ? s[0].toUpperCase() + s.slice(1) : "";
}

function edit(li, m) {
  const nameId = `edit-name-${m.id}`;
  const descId = `edit-desc-${m.id}`;
  const form = el("form", { class: "stack grow edit" },
    el("label", { for: nameId, text: "Name" }),
    el("input", { id: nameId, type: "text", value: m.name, required: true, maxlength: "200" }),
    el("label", { for: descId, text: "Description" }),
    el("input", { id: descId, type: "text", value: m.description || "", maxlength: "1000" }),
    el("div", { class: "row" },
      el("button", { type: "submit", class: "primary", text: "Save" }),
      el("button", { type: "button", text: "Cancel", onclick: () => refresh() })));
  form.addEventListener("submit", (e) => save(e, form, m));
  li.replaceChildren(form);
  form.querySelector("input").focus();
}

async function save(e, form, m) {
  e.preventDefault();
  const [nameIn, descIn] = form.querySelectorAll("input");
  const name = nameIn.value.trim();
  if (!name) return showError("A voice needs a name.");
  try {
    await busy(form.querySelector("button[type=submit]"), "Saving…", () =>
      api.updateModel(m.id, { name, description: descIn.value.trim() }));
  } catch (err) {
    showError(err);
    return;
  }
  announce(`Saved ${name}.`);
  await refresh();
}

async function remove(m) {
  if (!(await confirmDelete(`Delete the voice “${m.name}”? This cannot be undone.`))) return;
  try {
    await api.deleteModel(m.id);
  } catch (err) {
    if (err.status !== 404) {
      showError(err);
      return;
    }
  }
  announce(`Deleted ${m.name}.`);
  await refresh();
}
