// views/voices.js is the Voices page: create a voice from checked samples,
// and list, rename, describe or delete the user's voices.

import * as api from "../api.js";
import { $, announce, busy, clearNotice, confirmDelete, el, fmtDate, fmtSeconds, loading, showError } from "../ui.js";

let nav;

/** init binds the create form once. */
export function init({ navigate }) {
  nav = navigate;
  $("clone-form").addEventListener("submit", create);
}

/** show loads samples (for the checkboxes) and voices. */
export function show() {
  loadSamples();
  refresh();
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
    return;
  }
  $("clone-name").value = "";
  $("clone-description").value = "";
  for (const c of document.querySelectorAll("#clone-samples input")) c.checked = false;
  announce(`Created the voice ${model.name}.`);
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
}

function voiceRow(m) {
  const n = m.samples?.length || 0;
  const meta = [statusText(m.status), `${n} sample${n === 1 ? "" : "s"}`, fmtDate(m.created_at)].join(" · ");
  const li = el("li", { class: "item", "data-id": m.id });
  const view = el("div", { class: "grow" },
    el("strong", { text: m.name }),
    m.description ? el("p", { class: "small", text: m.description }) : null,
    el("p", { class: "muted small", text: meta }));
  const actions = el("div", { class: "actions" },
    el("button", { type: "button", class: "primary", text: "Speak", disabled: m.status !== "ready",
      "aria-label": `Speak with ${m.name}`, onclick: () => nav(`/speak?voice=${encodeURIComponent(m.id)}`) }),
    el("button", { type: "button", text: "Edit", "aria-label": `Rename or describe ${m.name}`,
      onclick: () => edit(li, m) }),
    el("button", { type: "button", class: "danger", text: "Delete", "aria-label": `Delete voice ${m.name}`,
      onclick: () => remove(m) }));
  li.append(view, actions);
  return li;
}

function statusText(s) {
  if (s === "ready") return "Ready";
  if (s === "failed") return "Failed";
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
