// ui.js holds the small DOM helpers shared by the views: element creation,
// the status and error regions, the confirmation dialog and formatting.

/** $ returns the element with the given id. */
export const $ = (id) => document.getElementById(id);

/**
 * el builds an element. Text goes in through textContent only, never as
 * HTML, so names and transcripts typed by users cannot inject markup.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c);
  }
  return node;
}

/** announce tells screen-reader users what just happened. */
export function announce(text) {
  const s = $("status");
  s.textContent = "";
  // A fresh text node after a tick makes repeated messages be read again.
  setTimeout(() => { s.textContent = text; }, 30);
}

/** showError puts a readable message in the alert banner. */
export function showError(err) {
  $("notice-text").textContent = typeof err === "string" ? err : errorMessage(err);
  $("notice").hidden = false;
  $("notice").classList.remove("info");
  // On a long page the banner may be far above the button that failed.
  $("notice").scrollIntoView({ block: "nearest" });
}

/** showInfo uses the same banner for a neutral message. */
export function showInfo(text) {
  $("notice-text").textContent = text;
  $("notice").hidden = false;
  $("notice").classList.add("info");
}

/** clearNotice hides the banner. */
export function clearNotice() {
  $("notice").hidden = true;
}

const byCode = {
  unauthorized: "Your session has ended. Please sign in again.",
  too_large: "That file is too large. Try a shorter recording (under a minute or two is plenty).",
  unsupported_media: "That file type is not supported. Use WAV, MP3, FLAC, Ogg, WebM, M4A, 3GP or AAC.",
  not_found: "That item no longer exists; it may have been deleted in another window.",
  conflict: "That already exists.",
  unavailable: "The service is busy or starting up. Please try again shortly.",
  internal: "Something went wrong on the server. Please try again.",
  network: "Cannot reach the server. Check your connection and try again.",
};

/** errorMessage turns an ApiError (or any error) into a sentence for users. */
export function errorMessage(err) {
  if (!err) return "";
  if (err.code === "rate_limited" || err.status === 429) return rateLimitMessage(err.retryAfter);
  // For a request the server refused, its own message is written for users
  // and says more ("Audio file is larger than 25 MiB.") than ours could.
  const own = err.code !== "unauthorized" && err.code !== "not_found";
  if (err.status >= 400 && err.status < 500 && err.serverMessage && own) return err.serverMessage;
  return byCode[err.code] || (err.status ? byCode.internal : err.message) || "Something went wrong. Please try again.";
}

/** rateLimitMessage says how long to wait, from Retry-After seconds. */
export function rateLimitMessage(seconds) {
  if (seconds === null || seconds === undefined) return "Too many requests. Please try again later.";
  if (seconds < 60) {
    const s = Math.max(1, seconds);
    return `Too many requests. Please try again in ${s} second${s === 1 ? "" : "s"}.`;
  }
  const m = Math.ceil(seconds / 60);
  return `Too many requests. Please try again in ${m} minute${m === 1 ? "" : "s"}.`;
}

/** confirmDelete asks in an accessible modal dialog; resolves true on Delete. */
export function confirmDelete(text) {
  const d = $("confirm");
  $("confirm-text").textContent = text;
  return new Promise((resolve) => {
    d.addEventListener("close", () => resolve(d.returnValue === "ok"), { once: true });
    d.returnValue = "";
    d.showModal();
    $("confirm-cancel").focus();
  });
}

/**
 * loading marks node aria-busy while work replaces its contents, so screen
 * readers wait for the new list (and so do the browser tests).
 */
export async function loading(node, work) {
  node.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    node.removeAttribute("aria-busy");
  }
}

/** busy disables a button while work runs and restores its label after. */
export async function busy(button, label, work) {
  const old = button.textContent;
  button.disabled = true;
  button.textContent = label;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = old;
    button.removeAttribute("aria-busy");
  }
}

/** fmtSeconds formats a duration as m:ss (or 12.3 s under a minute when precise). */
export function fmtSeconds(s, precise = false) {
  if (!Number.isFinite(s)) return "–";
  // A no-break space keeps "3.2 s" together when lines wrap.
  if (precise && s < 60) return `${s.toFixed(1)}\u00a0s`;
  const t = Math.floor(s);
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, "0")}`;
}

/** fmtDate shows a server timestamp in the user's locale. */
export function fmtDate(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** fmtBytes shows a size in kB or MB. */
export function fmtBytes(n) {
  if (!Number.isFinite(n)) return "";
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** extFor picks a download file extension from a format or MIME type. */
export function extFor(formatOrType) {
  const t = (formatOrType || "").toLowerCase();
  for (const ext of ["wav", "mp3", "flac", "opus", "ogg", "aac"]) {
    if (t.includes(ext)) return ext;
  }
  if (t.includes("mpeg")) return "mp3";
  return "audio";
}

/** saveBlob offers a blob as a download with the given file name. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  download(url, name);
  // The download has started by now; revoke later so slow disks still get it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** download has the browser fetch url as a download named name, straight
 * to disk. */
export function download(url, name) {
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

/** bindDrop makes zone accept a dropped file, highlighted while one is
 * dragged over it, and hands the first file to onFile. */
export function bindDrop(zone, onFile) {
  for (const t of ["dragenter", "dragover"]) {
    zone.addEventListener(t, (e) => {
      e.preventDefault();
      zone.classList.add("over");
    });
  }
  for (const t of ["dragleave", "drop"]) zone.addEventListener(t, () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files?.[0];
    if (f) onFile(f);
  });
}
