// views/check.js is the Check audio page: pick or drop a file, and the
// server says whether this instance's watermark is in it; to the owner of
// the synthesis it came from, which one and when.

import * as api from "../api.js";
import { $, announce, bindDrop, busy, clearNotice, el, fmtBytes, fmtDate, showError } from "../ui.js";

let pending = null; // the File waiting to be checked

/** init binds the picker, the drop zone and the form once. */
export function init() {
  $("check-file").addEventListener("change", (e) => choose(e.target.files[0]));
  $("check-form").addEventListener("submit", (e) => {
    e.preventDefault();
    check();
  });
  bindDrop($("check-drop"), choose);
}

/** show starts afresh: no file, no verdict. */
export function show() {
  choose(null);
  $("check-file").value = "";
  $("check-result").hidden = true;
}

// choose takes a file and checks it at once: there is nothing else to
// fill in. The button stays for checking the same file again.
function choose(file) {
  pending = file || null;
  $("check-submit").disabled = !pending;
  $("check-chosen").textContent = pending ? `Selected: ${file.name} (${fmtBytes(file.size)})` : "";
  if (pending) check();
}

async function check() {
  if (!pending) return;
  const file = pending;
  clearNotice();
  $("check-result").hidden = true;
  if (file.size === 0) {
    showError(`${file.name} is empty: choose a recording.`);
    return;
  }
  let d;
  try {
    d = await busy($("check-submit"), "Checking…", () => api.detect(file));
  } catch (err) {
    showError(err);
    return;
  }
  if (pending !== file) return; // another file was chosen meanwhile
  render(file, d);
}

function render(file, d) {
  const yes = d.watermarked === true;
  const verdict = yes ? "Made by this voxclone" : "No voxclone watermark found";
  const res = $("check-result");
  res.dataset.watermarked = yes ? "yes" : "no";
  res.dataset.synthesisId = d.synthesis_id || "";
  $("check-verdict").textContent = verdict;
  $("check-verdict").className = `verdict ${yes ? "yes" : "no"}`;
  const pct = Math.round(Math.min(1, Math.max(0, d.confidence || 0)) * 100);
  $("check-confidence").textContent = `${file.name}: watermark confidence ${pct}% (50% or more means made here).`;
  const src = $("check-source");
  src.replaceChildren();
  if (d.synthesis_id) {
    const when = d.created_at ? `, made ${fmtDate(d.created_at)}` : "";
    src.append("Your own synthesis ", el("code", { text: d.synthesis_id }), `${when}. It is in your History.`);
  }
  src.hidden = !d.synthesis_id;
  $("check-note").textContent = yes
    ? d.synthesis_id
      ? ""
      : "Only the account that made it sees which synthesis it is, and naming it takes a minute or more of the original audio."
    : "Audio made here is found when it is half a minute or longer; a short excerpt, or audio sped up, slowed down or pitch-shifted, can hide the mark.";
  res.hidden = false;
  announce(`${verdict}, confidence ${pct}%.`);
}
