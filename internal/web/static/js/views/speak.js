// views/speak.js is the Speak page: pick a voice, type text, choose format,
// speed and likeness, and play or download the result.

import * as api from "../api.js";
import { $, announce, clearNotice, el, extFor, loading, showError } from "../ui.js";

/** MAX_CHARS is the server's limit on text per request. */
export const MAX_CHARS = 5000;

let resultURL = "";
let running = false;

/** init binds the form once. */
export function init() {
  $("speak-form").addEventListener("submit", speak);
  $("speak-text").addEventListener("input", count);
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
  return loading($("speak-voice"), showNow);
}

async function showNow() {
  let models;
  try {
    models = ((await api.listModels()) || []).filter((m) => m.status === "ready");
  } catch (err) {
    showError(err);
    return;
  }
  const want = new URLSearchParams(location.search).get("voice");
  const sel = $("speak-voice");
  const keep = want || sel.value;
  sel.replaceChildren(...models.map((m) => el("option", { value: m.id, text: m.name })));
  if (models.some((m) => m.id === keep)) sel.value = keep;
  $("speak-novoice").hidden = models.length > 0;
  $("speak-submit").disabled = models.length === 0 || running;
}

/** leave pauses the result so it does not play on under another page. */
export function leave() {
  $("speak-audio").pause();
}

function count() {
  const n = $("speak-text").value.length;
  const c = $("speak-count");
  c.textContent = `${n.toLocaleString("en")} / ${MAX_CHARS.toLocaleString("en")}`;
  c.classList.toggle("near", n > MAX_CHARS * 0.9);
}

async function speak(e) {
  e.preventDefault();
  const text = $("speak-text").value.trim();
  if (!$("speak-voice").value) return showError("Choose a voice first.");
  if (!text) return showError("Type the text to speak.");
  if (text.length > MAX_CHARS) return showError(`The text is too long: at most ${MAX_CHARS.toLocaleString("en")} characters.`);
  clearNotice();
  const params = {
    model_id: $("speak-voice").value,
    text,
    format: $("speak-format").value,
    speed: Number($("speak-speed").value),
    // 1 is the engine's default; lower trades likeness for clarity.
    similarity: Number($("speak-likeness").value),
  };
  let out;
  const stopProgress = progress();
  try {
    out = await api.synthesize(params);
  } catch (err) {
    showError(err);
    return;
  } finally {
    stopProgress();
  }
  showResult(out, params.format);
}

// progress shows the bar and an elapsed-seconds count; the returned function
// hides them again.
function progress() {
  running = true;
  $("speak-submit").disabled = true;
  $("speak-submit").textContent = "Speaking…";
  $("speak-progress").hidden = false;
  const t0 = Date.now();
  $("speak-elapsed").textContent = "Generating speech…";
  announce("Generating speech.");
  const timer = setInterval(() => {
    $("speak-elapsed").textContent = `Generating speech… ${Math.round((Date.now() - t0) / 1000)} s`;
  }, 1000);
  return () => {
    clearInterval(timer);
    running = false;
    $("speak-submit").disabled = false;
    $("speak-submit").textContent = "Speak";
    $("speak-progress").hidden = true;
  };
}

function showResult({ blob, id, type }, format) {
  if (resultURL) URL.revokeObjectURL(resultURL);
  resultURL = URL.createObjectURL(blob);
  const audio = $("speak-audio");
  audio.src = resultURL;
  const link = $("speak-download");
  link.href = resultURL;
  link.download = `voxclone-${id || Date.now()}.${extFor(format || type)}`;
  $("speak-result").hidden = false;
  announce("Speech ready. Use the player to listen, or download it.");
  audio.focus();
}
