// views/samples.js is the Samples page: choose a file (picker or drag and
// drop) or take a recording, upload it, and show the server's quality report
// beside the waveform; below, the list of the user's samples.

import * as api from "../api.js";
import { $, announce, bindDrop, busy, clearNotice, confirmDelete, el, fmtBytes, fmtDate, fmtSeconds, loading, showError } from "../ui.js";
import { drawBlob } from "../waveform.js";
import * as record from "./record.js";

let pending = null; // the File or recorded Blob waiting to be uploaded

/** init binds the upload form, the drop zone and the recorder once. */
export function init() {
  $("upload-file").addEventListener("change", (e) => choose(e.target.files[0]));
  $("upload-form").addEventListener("submit", upload);
  bindDrop($("dropzone"), (f) => choose(f));
  record.init((blob, seconds) => {
    const name = `recording-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.wav`;
    choose(new File([blob], name, { type: "audio/wav" }), `Recording, ${fmtSeconds(seconds, true)}`);
    $("upload-submit").focus();
  });
}

/** show refreshes the sample list. */
export function show() {
  refresh();
}

/** leave stops a recording still running when the user moves away. */
export function leave() {
  record.stopIfRunning();
}

function choose(file, label) {
  pending = file || null;
  $("upload-submit").disabled = !pending;
  $("upload-chosen").textContent = pending ? `Selected: ${label || file.name} (${fmtBytes(file.size)})` : "";
}

async function upload(e) {
  e.preventDefault();
  if (!pending) return;
  clearNotice();
  const file = pending;
  let sample;
  try {
    sample = await busy($("upload-submit"), "Uploading and analysing…", () =>
      api.uploadSample(file, $("upload-name").value.trim(), $("upload-transcript").value.trim()));
  } catch (err) {
    showError(err);
    return;
  }
  choose(null);
  $("upload-file").value = "";
  $("upload-name").value = "";
  $("upload-transcript").value = "";
  announce(`Uploaded ${sample.name}. Quality score ${sample.quality?.score ?? "unknown"}.`);
  await showReport(sample, file);
  $("report").scrollIntoView({ block: "nearest" });
  refresh();
}

const dash = "–";
const num = (v, digits, unit) => (Number.isFinite(v) ? `${v.toFixed(digits)} ${unit}` : dash);

/** showReport fills the quality card; blob, when given, is drawn as a waveform. */
export async function showReport(sample, blob) {
  const q = sample.quality || {};
  $("report-title").textContent = `Quality report: ${sample.name}`;
  $("report-score").textContent = Number.isFinite(q.score) ? String(q.score) : dash;
  const box = $("report-score-box");
  box.classList.remove("good", "fair", "poor");
  if (Number.isFinite(q.score)) box.classList.add(q.score >= 70 ? "good" : q.score >= 40 ? "fair" : "poor");
  $("report-duration").textContent = fmtSeconds(sample.duration_seconds, true);
  $("report-speech").textContent = fmtSeconds(q.speech_seconds, true);
  $("report-snr").textContent = num(q.snr_db, 1, "dB");
  $("report-loudness").textContent = num(q.loudness_lufs, 1, "LUFS");
  $("report-peak").textContent = num(q.true_peak_dbtp, 1, "dBTP");
  $("report-clipping").textContent = Number.isFinite(q.clipping_ratio) ? `${(q.clipping_ratio * 100).toFixed(2)} %` : dash;
  const list = $("report-warnings");
  list.replaceChildren();
  const warnings = q.warnings || [];
  if (warnings.length === 0) list.append(el("li", { class: "ok", text: "No problems found." }));
  for (const w of warnings) list.append(el("li", { text: w.charAt(0).toUpperCase() + w.slice(1) }));
  $("report").hidden = false;
  $("report").dataset.id = sample.id;
  const canvas = $("waveform");
  canvas.hidden = !blob;
  if (blob && !(await drawBlob(canvas, blob))) canvas.hidden = true;
}

function refresh() {
  return loading($("samples-list"), refreshNow);
}

async function refreshNow() {
  let items;
  try {
    items = await api.listSamples();
  } catch (err) {
    showError(err);
    return;
  }
  items = items || [];
  $("samples-empty").hidden = items.length > 0;
  $("samples-list").replaceChildren(...items.map(sampleRow));
}

function sampleRow(s) {
  const q = s.quality || {};
  const meta = [fmtSeconds(s.duration_seconds, true), (s.format || "").toUpperCase(),
    Number.isFinite(q.score) ? `score ${q.score}` : "", fmtDate(s.created_at)].filter(Boolean).join(" · ");
  return el("li", { class: "item", "data-id": s.id },
    el("div", { class: "grow" },
      el("strong", { text: s.name }),
      el("p", { class: "muted small", text: meta })),
    el("div", { class: "actions" },
      el("button", { type: "button", text: "Report", "aria-label": `Show quality report for ${s.name}`,
        onclick: () => showReport(s, null).then(() => $("report").scrollIntoView({ block: "nearest" })) }),
      el("button", { type: "button", class: "danger", text: "Delete", "aria-label": `Delete sample ${s.name}`,
        onclick: () => remove(s) })));
}

async function remove(s) {
  if (!(await confirmDelete(`Delete the sample “${s.name}”?`))) return;
  try {
    await api.deleteSample(s.id);
  } catch (err) {
    if (err.status !== 404) {
      showError(err);
      return;
    }
  }
  if ($("report").dataset.id === s.id) $("report").hidden = true;
  announce(`Deleted ${s.name}.`);
  refresh();
}
