// views/jobs.js is the list of background jobs on the Speak page: long
// texts a worker speaks on the server. It shows each job's status and
// progress, asking the server again every few seconds while any is
// unfinished, and lets the user cancel one, or play and download the
// result, which is also kept in the History.

import * as api from "../api.js";
import { $, announce, busy, el, extFor, fmtDate, saveBlob, showError } from "../ui.js";

/** SHOWN is how many of the newest jobs the list holds. */
const SHOWN = 10;
/** POLL_MS is how often unfinished jobs are asked about. */
const POLL_MS = 1500;

let visible = false;
let timer = 0;
let audioURL = "";
let player; // the one <audio>, kept here because it moves into the list
let playing = ""; // the id of the job it plays

/** init finds the player once. */
export function init() {
  player = $("jobs-audio");
}

/** show lists the jobs and keeps them current while the page is shown. */
export function show() {
  visible = true;
  return refresh();
}

/** leave stops asking and pauses playback. */
export function leave() {
  visible = false;
  clearTimeout(timer);
  player.pause();
}

/** start queues params (a synthesize request) as a job. */
export async function start(params) {
  try {
    await busy($("speak-job"), "Starting…", () => api.startJob(params));
  } catch (err) {
    showError(err);
    return;
  }
  announce("Started in the background. Its progress shows under Background jobs; the result goes to the History.");
  await refresh();
}

const finished = (j) => j.status === "done" || j.status === "failed" || j.status === "cancelled";

async function refresh() {
  clearTimeout(timer);
  let page;
  try {
    page = await api.jobs(SHOWN, "");
  } catch (err) {
    if (visible) showError(err);
    return;
  }
  if (!visible) return;
  const jobs = page?.items || [];
  render(jobs);
  if (jobs.some((j) => !finished(j))) timer = setTimeout(refresh, POLL_MS);
}

// render updates the list in place: rows keep their buttons (and focus)
// until the job's status changes, and progress bars just move.
function render(jobs) {
  const list = $("jobs-list");
  const rows = jobs.map((j) => {
    const old = list.querySelector(`li[data-id="${CSS.escape(j.id)}"]`);
    if (!old || old.dataset.status !== j.status) {
      if (old && j.status === "done") announce("A background job is done; its result is in the list.");
      return jobRow(j);
    }
    const bar = old.querySelector("progress");
    if (bar && j.progress > 0) bar.value = j.progress;
    return old;
  });
  list.replaceChildren(...rows);
  // The player follows the row it plays, which may have been replaced.
  const row = playing && list.querySelector(`li[data-id="${CSS.escape(playing)}"]`);
  if (row) row.after(player);
  else list.after(player);
  $("jobs-empty").hidden = jobs.length > 0;
}

function jobRow(j) {
  const li = el("li", { class: "item", "data-id": j.id, "data-status": j.status });
  const text = j.text_preview + (j.characters > j.text_preview.length ? "…" : "");
  const info = el("div", { class: "grow" },
    el("p", { class: "small", text }),
    el("p", { class: "muted small", text: `${statusText(j)} · ${j.characters.toLocaleString("en")} characters · ${fmtDate(j.created_at)}` }),
    finished(j) ? null : progressBar(j),
    j.status === "failed" && j.error ? el("p", { class: "small failure", text: j.error }) : null);
  const actions = el("div", { class: "actions" },
    finished(j) ? null : el("button", { type: "button", class: "danger", text: "Cancel", "aria-label": "Cancel this job",
      onclick: (e) => cancel(e.currentTarget, j) }),
    j.status === "done" ? el("button", { type: "button", class: "primary", text: "Play", "aria-label": "Play the result",
      onclick: (e) => play(e.currentTarget, li, j) }) : null,
    j.status === "done" ? el("button", { type: "button", text: "Download", "aria-label": "Download the result",
      onclick: (e) => download(e.currentTarget, j) }) : null);
  li.append(info, actions);
  return li;
}

// progressBar is indeterminate until the worker reports progress.
function progressBar(j) {
  const bar = el("progress", { max: "1", "aria-label": "Progress of this job" });
  if (j.progress > 0) bar.value = j.progress;
  return bar;
}

function statusText(j) {
  switch (j.status) {
    case "queued": return "Waiting for a worker";
    case "running": return j.progress > 0 ? `Speaking, ${Math.round(j.progress * 100)}%` : "Speaking";
    case "done": return "Done";
    case "failed": return "Failed";
    case "cancelled": return "Cancelled";
  }
  return j.status;
}

async function cancel(button, j) {
  try {
    await busy(button, "Cancelling…", () => api.cancelJob(j.id));
  } catch (err) {
    // 409: it ended meanwhile; the refresh shows how.
    if (err.status !== 409) showError(err);
  }
  announce("Cancelled.");
  await refresh();
}

async function play(button, li, j) {
  let blob;
  try {
    blob = await busy(button, "Loading…", () => api.historyAudio(j.history_id));
  } catch (err) {
    showError(err);
    return;
  }
  if (audioURL) URL.revokeObjectURL(audioURL);
  audioURL = URL.createObjectURL(blob);
  player.src = audioURL;
  player.hidden = false;
  playing = j.id;
  li.after(player);
  player.play().catch(() => {}); // autoplay may be refused; the controls remain
}

async function download(button, j) {
  try {
    const blob = await busy(button, "Loading…", () => api.historyAudio(j.history_id));
    saveBlob(blob, `voxclone-${j.history_id}.${extFor(j.format)}`);
  } catch (err) {
    showError(err);
  }
}
