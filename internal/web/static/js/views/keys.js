// views/keys.js is the API keys page: create, list and delete personal API
// keys, and copy code that uses them with the OpenAI and ElevenLabs SDKs
// pointed at this server.

import * as api from "../api.js";
import { $, announce, busy, clearNotice, confirmDelete, el, fmtDate, loading, showError } from "../ui.js";
import { elevenlabsSnippet, languages, openaiSnippet } from "../snippets.js";

const placeholderKey = "YOUR_API_KEY";
let secret = ""; // the key just created; shown until the page is left
let voice = null; // {id, name} of a ready voice for the snippets

/** init binds the form, the copy buttons and the language choice once. */
export function init() {
  $("key-form").addEventListener("submit", create);
  $("snippet-lang").replaceChildren(...languages.map((l) => el("option", { value: l.id, text: l.label })));
  $("snippet-lang").addEventListener("change", renderSnippets);
  for (const b of document.querySelectorAll("#view-keys [data-copy]")) {
    b.addEventListener("click", () => copy($(b.dataset.copy).textContent, b));
  }
}

/** show lists the keys and fills the snippets in. */
export function show() {
  renderSnippets();
  loadVoice();
  return refresh();
}

/** leave forgets the secret: it is shown once, on the page that made it. */
export function leave() {
  secret = "";
  $("key-new").hidden = true;
  $("key-secret").textContent = "";
}

function refresh() {
  return loading($("keys-list"), refreshNow);
}

async function refreshNow() {
  let keys;
  try {
    keys = (await api.listKeys()) || [];
  } catch (err) {
    showError(err);
    return;
  }
  $("keys-empty").hidden = keys.length > 0;
  $("keys-list").replaceChildren(...keys.map(row));
}

function row(k) {
  const used = k.last_used_at ? `last used ${fmtDate(k.last_used_at)}` : "never used";
  const del = el("button", { type: "button", class: "danger", text: "Delete", "aria-label": `Delete key ${k.name}` });
  del.addEventListener("click", () => remove(k, del));
  return el("li", { class: "item", "data-id": k.id },
    el("div", { class: "grow" },
      el("p", {}, el("strong", { text: k.name }), " ", el("code", { text: `${k.prefix}…` })),
      el("p", { class: "muted small", text: `Created ${fmtDate(k.created_at)}, ${used}` })),
    el("div", { class: "actions" }, del));
}

async function create(e) {
  e.preventDefault();
  const name = $("key-name").value.trim();
  if (!name) return showError("Give the key a name, such as the computer that will use it.");
  clearNotice();
  let out;
  try {
    out = await busy($("key-submit"), "Creating key…", () => api.createKey(name));
  } catch (err) {
    showError(err);
    return;
  }
  secret = out.secret;
  $("key-secret").textContent = secret;
  $("key-new").hidden = false;
  $("key-name").value = "";
  renderSnippets();
  announce(`Key ${name} created. Copy it now: it is shown only once.`);
  await refresh();
  $("key-copy").focus();
}

async function remove(k, button) {
  if (!(await confirmDelete(`Delete the key “${k.name}”? Programs using it will stop working.`))) return;
  try {
    await busy(button, "Deleting…", () => api.deleteKey(k.id));
  } catch (err) {
    showError(err);
    return;
  }
  if (secret.startsWith(k.prefix)) leave();
  renderSnippets();
  announce(`Key ${k.name} deleted.`);
  await refresh();
}

// loadVoice picks the newest ready voice for the snippets, else a
// built-in one, which every account can use.
async function loadVoice() {
  try {
    const [models, builtins] = await Promise.all([api.listModels(), api.builtinVoices()]);
    const m = (models || []).find((x) => x.status === "ready");
    const b = (builtins || [])[0];
    voice = m ? { id: m.id, name: m.name, own: true } : b ? { id: b.id, name: b.id, own: false } : null;
  } catch {
    voice = null; // the snippets keep their placeholders
  }
  renderSnippets();
}

function renderSnippets() {
  const lang = $("snippet-lang").value || languages[0].id;
  const key = secret || placeholderKey;
  $("snippet-openai").textContent = openaiSnippet(lang, location.origin, key, voice ? voice.name : "YOUR_VOICE_NAME");
  $("snippet-elevenlabs").textContent = elevenlabsSnippet(lang, location.origin, key, voice ? voice.id : "YOUR_VOICE_ID");
  $("snippet-novoice").hidden = voice !== null && voice.own;
}

// copy puts text on the clipboard, falling back to a selection and
// execCommand where the Clipboard API is refused.
async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el("textarea", { class: "sr-only", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (!ok) return showError("Could not copy; select the text and copy it yourself.");
  }
  const old = button.textContent;
  button.textContent = "Copied";
  announce("Copied to the clipboard.");
  setTimeout(() => { button.textContent = old; }, 2000);
}
