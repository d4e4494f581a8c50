// views/speak.js is the Speak page: pick a voice (one of yours or a
// built-in one), paste text up to a chapter long, choose format, speed and
// likeness, and listen while the server speaks it: the audio plays as it
// arrives and the word being spoken is highlighted. The result can be
// downloaded once complete. Or have a worker speak it in the background
// (views/jobs.js lists those jobs).

import * as api from "../api.js";
import { Reader, StreamPlayer } from "../stream.js";
import { $, announce, clearNotice, el, extFor, loading, showError } from "../ui.js";
import * as jobs from "./jobs.js";

/** MAX_CHARS is the server's limit on text per request (characters). */
export const MAX_CHARS = 100000;

// Built-in voices share the select with the user's models; their values
// carry this prefix (model ids are hex and never do).
const BUILTIN = "builtin:";

let player = null;
let controller = null; // aborts the synthesis in progress

/** init binds the form once. */
export function init() {
  jobs.init();
  $("speak-form").addEventListener("submit", speak);
  $("speak-job").addEventListener("click", () => {
    const p = request();
    if (p) jobs.start(p);
  });
  $("speak-text").addEventListener("input", count);
  $("speak-voice").addEventListener("change", voiceChanged);
  $("speak-stop").addEventListener("click", () => controller?.abort());
  $("speak-speed").addEventListener("input", () => {
    $("speak-speed-out").textContent = `${Number($("speak-speed").value).toFixed(2)}×`;
  });
  $("speak-likeness").addEventListener("input", () => {
    $("speak-likeness-out").textContent = `${Math.round(Number($("speak-likeness").value) * 100)}%`;
  });
  count();
}

/** show fills the voice list, preselecting ?voice= when present. */
export function show() {
  jobs.show();
  return loading($("speak-voice"), showNow);
}

async function showNow() {
  let models;
  let builtins;
  try {
    [models, builtins] = await Promise.all([api.listModels(), api.builtinVoices()]);
  } catch (err) {
    showError(err);
    return;
  }
  models = (models || []).filter((m) => m.status === "ready");
  const want = new URLSearchParams(location.search).get("voice");
  const sel = $("speak-voice");
  const keep = want || sel.value;
  const groups = [];
  if (models.length) {
    groups.push(el("optgroup", { label: "Your voices" }, ...models.map((m) => el("option", { value: m.id, text: m.name }))));
  }
  groups.push(el("optgroup", { label: "Built-in voices" },
    ...builtins.map((b) => el("option", { value: BUILTIN + b.id, text: `${b.id} — ${b.description}` }))));
  sel.replaceChildren(...groups);
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  $("speak-novoice").hidden = models.length > 0;
  $("speak-submit").disabled = controller !== null;
  voiceChanged();
}

/** leave stops playing and speaking so nothing goes on under another page. */
export function leave() {
  $("speak-audio").pause();
  controller?.abort();
  jobs.leave();
}

// voiceChanged hides the likeness for built-in voices, which have none.
function voiceChanged() {
  const builtin = $("speak-voice").value.startsWith(BUILTIN);
  $("speak-likeness-box").hidden = builtin;
}

// chars counts characters as the server does (code points, not UTF-16 units).
const chars = (s) => Array.from(s).length;

function count() {
  const n = chars($("speak-text").value);
  const c = $("speak-count");
  c.textContent = `${n.toLocaleString("en")} / ${MAX_CHARS.toLocaleString("en")}`;
  c.classList.toggle("near", n > MAX_CHARS * 0.9);
}

// params builds the request from the form.
function params(text) {
  const voice = $("speak-voice").value;
  const p = { text, format: $("speak-format").value, speed: Number($("speak-speed").value) };
  if (voice.startsWith(BUILTIN)) {
    p.voice = voice.slice(BUILTIN.length);
  } else {
    p.model_id = voice;
    // 1 is the engine's default; lower trades likeness for clarity.
    p.similarity = Number($("speak-likeness").value);
  }
  return p;
}

// request reads and checks the form: the request to send, or null after
// saying what is missing.
function request() {
  const text = $("speak-text").value.trim();
  if (!$("speak-voice").value) return showError("Choose a voice first."), null;
  if (!text) return showError("Type the text to speak."), null;
  if (chars(text) > MAX_CHARS) return showError(`The text is too long: at most ${MAX_CHARS.toLocaleString("en")} characters.`), null;
  clearNotice();
  return params(text);
}

async function speak(e) {
  e.preventDefault();
  const p = request();
  if (!p) return;
  const text = p.text;
  const stop = progress();
  try {
    await stream(p, text);
  } catch (err) {
    if (err.name !== "AbortError") showError(err);
    else announce("Stopped.");
    $("speak-result").dataset.state = "stopped";
  } finally {
    stop();
  }
}

// stream plays the speech as it arrives and follows its words.
async function stream(p, text) {
  controller = new AbortController();
  const audio = $("speak-audio");
  audio.pause();
  player?.release();
  player = null;
  let reader = null;
  let started = false;
  const result = $("speak-result");
  for await (const ev of api.synthesizeEvents(p, controller.signal)) {
    switch (ev.event) {
      case "start":
        player = new StreamPlayer(audio, ev.data.content_type);
        reader = new Reader($("speak-reader"), audio, text, ev.data.format, ev.data.sample_rate);
        $("speak-download").hidden = true;
        result.hidden = false;
        result.dataset.state = "streaming";
        result.dataset.live = String(player.live);
        break;
      case "words":
        reader.add(ev.data.words);
        $("speak-elapsed").textContent = `Speaking… ${fmtClock(ev.data.end)} ready`;
        break;
      case "audio":
        player.append(Uint8Array.from(atob(ev.data.audio), (c) => c.charCodeAt(0)));
        if (!started && player.live) {
          started = true;
          announce("Playing while the rest is made.");
          audio.play().catch(() => {}); // blocked autoplay leaves the play button to the user
        }
        break;
      case "done":
        reader.finish();
        finishResult(player.end(), ev.data, p.format, !started);
        break;
    }
  }
}

// finishResult offers the complete file for download.
function finishResult(blob, done, format, play) {
  const link = $("speak-download");
  if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(blob);
  link.download = `voxclone-${done.id || Date.now()}.${extFor(format)}`;
  link.hidden = false;
  $("speak-result").dataset.state = "done";
  announce("Speech ready. Use the player to listen, or download it.");
  if (play) $("speak-audio").play().catch(() => {});
}

const fmtClock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;

// progress shows the bar, the Stop button and how much is ready; the
// returned function hides them again.
function progress() {
  $("speak-submit").disabled = true;
  $("speak-submit").textContent = "Speaking…";
  $("speak-progress").hidden = false;
  $("speak-elapsed").textContent = "Starting…";
  announce("Generating speech.");
  return () => {
    controller = null;
    $("speak-submit").disabled = false;
    $("speak-submit").textContent = "Speak";
    $("speak-progress").hidden = true;
  };
}
