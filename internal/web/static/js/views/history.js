// views/history.js is the History page: past results, newest first, a page
// at a time, each playable and downloadable.

import * as api from "../api.js";
import { $, announce, busy, el, extFor, fmtDate, fmtSeconds, loading, saveBlob, showError } from "../ui.js";

let pageSize = 20;

let cursor = "";
let names = new Map(); // model id → voice name
let playingURL = "";
let player; // the one <audio>, kept here because it moves between rows

/** setPageSize changes how many entries a page holds (the tests page by one). */
export function setPageSize(n) {
  pageSize = n;
}

/** init binds "Load more" once. */
export function init() {
  player = $("history-audio");
  $("history-more").addEventListener("click", () => busy($("history-more"), "Loading…", loadPage));
}

/** show reloads the first page. */
export function show() {
  return loading($("history-list"), showNow);
}

async function showNow() {
  cursor = "";
  player.pause();
  player.hidden = true;
  $("history-list").after(player);
  $("history-list").replaceChildren();
  $("history-more").hidden = true;
  try {
    const models = (await api.listModels()) || [];
    names = new Map(models.map((m) => [m.id, m.name]));
  } catch (err) {
    showError(err);
    return;
  }
  await loadPageNow();
}

/** leave stops playback so audio does not follow the user around. */
export function leave() {
  player.pause();
}

function loadPage() {
  return loading($("history-list"), loadPageNow);
}

async function loadPageNow() {
  let page;
  try {
    page = await api.history(pageSize, cursor);
  } catch (err) {
    showError(err);
    return;
  }
  const items = page?.items || [];
  cursor = page?.next_cursor || "";
  $("history-list").append(...items.map(row));
  $("history-empty").hidden = $("history-list").children.length > 0;
  $("history-more").hidden = !cursor;
  if (items.length > 0) announce(`Showing ${$("history-list").children.length} results.`);
}

function row(h) {
  const voice = h.voice ? `${h.voice} (built-in)` : names.get(h.model_id) || "Deleted voice";
  const meta = [voice, fmtDate(h.created_at), fmtSeconds(h.duration_seconds, true),
    (h.format || "").toUpperCase()].filter(Boolean).join(" · ");
  const play = el("button", { type: "button", text: "Play", "aria-label": `Play: ${short(h.text, 40)}` });
  const li = el("li", { class: "item", "data-id": h.id });
  play.addEventListener("click", () => busy(play, "Loading…", () => playItem(h, li)));
  const dl = el("button", { type: "button", text: "Download", "aria-label": `Download: ${short(h.text, 40)}` });
  dl.addEventListener("click", () => busy(dl, "Loading…", () => download(h)));
  li.append(
    el("div", { class: "grow" },
      el("p", { class: "quote", text: short(h.text, 280) }),
      el("p", { class: "muted small", text: meta })),
    el("div", { class: "actions" }, play, dl));
  return li;
}

function short(text, n) {
  const t = text || "";
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

// playItem fetches the audio with the bearer token and plays it from a blob
// URL: an <audio src> pointing at the API could not authenticate. The one
// player moves into the row being played.
async function playItem(h, li) {
  let blob;
  try {
    blob = await api.historyAudio(h.id);
  } catch (err) {
    showError(err);
    return;
  }
  if (playingURL) URL.revokeObjectURL(playingURL);
  playingURL = URL.createObjectURL(blob);
  const audio = player;
  audio.src = playingURL;
  audio.hidden = false;
  audio.dataset.id = h.id;
  li.append(audio);
  try {
    await audio.play();
  } catch {
    // Autoplay may be refused; the visible controls still work.
  }
}

async function download(h) {
  try {
    const blob = await api.historyAudio(h.id);
    saveBlob(blob, `voxclone-${h.id}.${extFor(h.format || blob.type)}`);
  } catch (err) {
    showError(err);
  }
}
