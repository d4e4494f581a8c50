// views/consent.js is the spoken-consent card of the Voices page: get a
// phrase, record it being read (or pick a recording of it made elsewhere,
// for a browser without a microphone), and show whether the server
// verified it (or, in its own words, why not). A phrase is answered once.

import * as api from "../api.js";
import { Recorder } from "../recorder.js";
import { $, announce, busy, errorMessage, fmtDate, fmtSeconds } from "../ui.js";

/** MAX_CONSENT_SECONDS is the server's limit on a consent recording. */
const MAX_CONSENT_SECONDS = 60;

let challenge = null;
let rec = null;

/** init binds the card once. */
export function init() {
  $("consent-new").addEventListener("click", newPhrase);
  $("consent-rec").addEventListener("click", () => (rec ? stop() : start()));
  $("consent-file").addEventListener("change", (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (file && !rec) send(file);
  });
}

/** stopIfRunning drops a recording in progress when the page is left. */
export function stopIfRunning() {
  if (rec) {
    rec.cancel();
    rec = null;
    setRecording(false);
  }
}

function setStatus(text, state) {
  const s = $("consent-status");
  s.textContent = text;
  s.dataset.state = state;
}

/**
 * showCloneRefusal puts a clone's consent_mismatch refusal on the card too,
 * where its remedy is: a consent recorded by the person in the samples.
 */
export function showCloneRefusal(err) {
  if (err?.code === "consent_mismatch") setStatus(errorMessage(err), "mismatch");
}

async function newPhrase() {
  try {
    challenge = await busy($("consent-new"), "Getting a phrase…", api.issueConsent);
  } catch (err) {
    // A 429 here may be too many phrases waiting rather than the upload
    // budget: only the server's message tells which, and what to do.
    setStatus(err?.status === 429 && err.serverMessage ? err.serverMessage : errorMessage(err), "error");
    return;
  }
  $("consent-phrase").textContent = challenge.phrase;
  $("consent-phrase").hidden = false;
  $("consent-rec-row").hidden = false;
  $("consent-rec").disabled = !navigator.mediaDevices?.getUserMedia || !window.AudioWorkletNode;
  $("consent-time").textContent = "0:00";
  setStatus(`Read the phrase aloud, clearly, then stop. Record before ${fmtDate(challenge.expires_at)}.`, "pending");
}

function setRecording(on) {
  const b = $("consent-rec");
  b.textContent = on ? "Stop and send" : "Record the phrase";
  b.setAttribute("aria-pressed", String(on));
  b.classList.toggle("recording", on);
}

async function start() {
  const r = new Recorder((secs) => {
    $("consent-time").textContent = fmtSeconds(secs);
    if (secs >= MAX_CONSENT_SECONDS && rec === r) stop();
  });
  try {
    await r.start();
  } catch (err) {
    await r.cancel();
    setStatus(`Could not start recording: ${err?.message || err}`, "error");
    return;
  }
  rec = r;
  setRecording(true);
  announce("Recording. Read the phrase, then choose Stop and send.");
}

async function stop() {
  const r = rec;
  rec = null;
  setRecording(false);
  const take = await r.stop();
  await send(take.blob);
}

/**
 * STILL_OPEN are the errors of an answer refused before it was checked
 * (not audio, too large, the server busy or the budget spent): the server
 * left the phrase open, so it can be answered again.
 */
const STILL_OPEN = new Set(["unsupported_media", "unprocessable", "too_large", "unavailable", "rate_limited"]);

// send answers the phrase with a recording.
async function send(audio) {
  const id = challenge.id;
  // A checked answer uses the phrase up, whatever the outcome.
  $("consent-rec-row").hidden = true;
  try {
    const c = await busy($("consent-new"), "Checking…", () => api.verifyConsent(id, audio));
    setStatus(`Verified. You may create one voice in this voice until ${fmtDate(c.usable_until)}.`, "verified");
  } catch (err) {
    setStatus(errorMessage(err), STILL_OPEN.has(err?.code) ? "error" : "refused");
    $("consent-rec-row").hidden = !STILL_OPEN.has(err?.code);
  }
  $("consent-new").textContent = "Get a new phrase";
}
