// views/record.js is the microphone card of the Samples page: start/stop,
// elapsed time, a live level meter and a preview of the take.

import { Recorder, MAX_SECONDS } from "../recorder.js";
import { $, announce, fmtSeconds, showError } from "../ui.js";

let rec = null;
let take = null; // {blob, seconds} of the last finished recording
let previewURL = "";
let onUse;

/** init binds the card; use(blob, seconds) is called on "Use this recording". */
export function init(use) {
  onUse = use;
  if (!navigator.mediaDevices?.getUserMedia || !window.AudioWorkletNode) {
    $("rec-toggle").disabled = true;
    $("rec-hint").textContent = "Recording needs a browser with microphone access over HTTPS (or on this computer).";
    return;
  }
  $("rec-toggle").addEventListener("click", () => (rec ? stop() : start()));
  $("rec-use").addEventListener("click", () => take && onUse(take.blob, take.seconds));
}

/** stopIfRunning ends a recording when the page is left. */
export function stopIfRunning() {
  if (rec) stop();
}

function setRecording(on) {
  const b = $("rec-toggle");
  b.textContent = on ? "Stop recording" : "Start recording";
  b.setAttribute("aria-pressed", String(on));
  b.classList.toggle("recording", on);
  $("recorder").classList.toggle("live", on);
}

async function start() {
  $("rec-toggle").disabled = true;
  const r = new Recorder((secs, level) => {
    $("rec-time").textContent = fmtSeconds(secs);
    $("rec-level").value = level;
  });
  r.onLimit = () => rec === r && stop();
  try {
    await r.start();
  } catch (err) {
    await r.cancel();
    $("rec-toggle").disabled = false;
    showError(micMessage(err));
    return;
  }
  rec = r;
  take = null;
  $("rec-audio").hidden = true;
  $("rec-use").hidden = true;
  $("rec-toggle").disabled = false;
  setRecording(true);
  announce(`Recording. It stops by itself after ${MAX_SECONDS / 60} minutes.`);
}

async function stop() {
  const r = rec;
  rec = null;
  $("rec-toggle").disabled = true;
  try {
    take = await r.stop();
  } catch (err) {
    showError(`The recording could not be finished: ${err?.message || err}`);
    return;
  } finally {
    $("rec-toggle").disabled = false;
    setRecording(false);
    $("rec-level").value = 0;
  }
  if (previewURL) URL.revokeObjectURL(previewURL);
  previewURL = URL.createObjectURL(take.blob);
  const audio = $("rec-audio");
  audio.src = previewURL;
  audio.hidden = false;
  $("rec-use").hidden = false;
  $("rec-time").textContent = fmtSeconds(take.seconds);
  announce(`Recorded ${fmtSeconds(take.seconds, true)}. Listen back, then choose Use this recording.`);
}

function micMessage(err) {
  switch (err?.name) {
    case "NotAllowedError":
      return "Microphone access was blocked. Allow it in the browser's site settings and try again.";
    case "NotFoundError":
      return "No microphone was found.";
    case "NotReadableError":
      return "The microphone is in use by another program.";
    default:
      return `Could not start recording: ${err?.message || err}`;
  }
}
