// api.js is the only module that talks to the server. Every call goes
// through request(), which adds the bearer token, turns error bodies into
// ApiError and reports 401s so the app can send the user back to sign-in.

// The token lives in sessionStorage rather than localStorage: it survives a
// reload but not closing the tab, so a 24-hour bearer token is not left
// behind on a shared computer, and other tabs cannot pick it up.
const store = window.sessionStorage;
const KEY = "voxclone.session";

let onUnauthorized = () => {};

/** setUnauthorizedHandler registers what to do when the server answers 401. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/** session returns {token, email, expiresAt} or null when signed out or expired. */
export function session() {
  let s;
  try {
    s = JSON.parse(store.getItem(KEY) || "null");
  } catch {
    return null;
  }
  if (!s || !s.token) return null;
  if (s.expiresAt && Date.parse(s.expiresAt) <= Date.now()) {
    store.removeItem(KEY);
    return null;
  }
  return s;
}

function saveSession(token, email, expiresAt) {
  store.setItem(KEY, JSON.stringify({ token, email, expiresAt: expiresAt || tokenExpiry(token) }));
}

// tokenExpiry reads the exp claim of a JWT (registration answers without
// expires_at). The signature is the server's business; this only decides
// when to stop sending a token that is surely dead. Null when unreadable.
function tokenExpiry(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const exp = JSON.parse(atob(part)).exp;
    return Number.isFinite(exp) ? new Date(exp * 1000).toISOString() : null;
  } catch {
    return null;
  }
}

// items unwraps a list answer, {"items": [...]}.
const items = (body) => (Array.isArray(body) ? body : body?.items || []);

/** signOut forgets the token; the server keeps no session to end. */
export function signOut() {
  store.removeItem(KEY);
}

/** ApiError is a failed API call: HTTP status, the server's error code and message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || "";
    this.serverMessage = message || ""; // written by the server for users
    this.retryAfter = retryAfter; // seconds, or null
  }
}

async function toError(res) {
  let code = "";
  let message = "";
  try {
    const body = await res.json();
    code = body?.error?.code || "";
    message = body?.error?.message || "";
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone must do.
  }
  const ra = parseRetryAfter(res.headers.get("Retry-After"));
  return new ApiError(res.status, code, message, ra);
}

/** parseRetryAfter reads delay-seconds or an HTTP date; null when absent or bad. */
export function parseRetryAfter(v) {
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return parseInt(v, 10);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.round((t - Date.now()) / 1000));
}

// request performs one call. opts.json is sent as a JSON body, opts.body as
// is (FormData); opts.raw returns the Response instead of parsed JSON.
async function request(method, path, opts = {}) {
  const headers = {};
  const s = session();
  if (s && !opts.anonymous) headers.Authorization = `Bearer ${s.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.json);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "");
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !opts.anonymous) {
      signOut();
      onUnauthorized(err);
    }
    throw err;
  }
  if (opts.raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

/** register creates an account and signs in with it. */
export async function register(email, password) {
  const out = await request("POST", "/api/auth/register", { json: { email, password }, anonymous: true });
  saveSession(out.token, out.user?.email || email, out.expires_at);
  return out;
}

/** login signs in with an existing account. */
export async function login(email, password) {
  const out = await request("POST", "/api/auth/login", { json: { email, password }, anonymous: true });
  saveSession(out.token, email, out.expires_at);
  return out;
}

/** deleteAccount deletes the account; the password is asked again. */
export const deleteAccount = (password) => request("DELETE", "/api/auth/me", { json: { password } });

/** exportLink returns {url, expires_at}: a link that downloads the
 * account's zip archive once, within a minute, with no credentials. A
 * link lets the browser stream the archive to disk; a fetch with the
 * Authorization header would hold it whole in memory first. */
export const exportLink = () => request("POST", "/api/auth/me/export/link");

/** listAudit returns one page of the activity log, {items, next_cursor}. */
export function listAudit(cursor = "") {
  const q = new URLSearchParams({ limit: "20" });
  if (cursor) q.set("cursor", cursor);
  return request("GET", `/api/auth/me/audit?${q}`);
}

export const listKeys = async () => items(await request("GET", "/api/auth/keys"));
/** createKey returns {key, secret}; the secret is never shown again. */
export const createKey = (name) => request("POST", "/api/auth/keys", { json: { name } });
export const deleteKey = (id) => request("DELETE", `/api/auth/keys/${encodeURIComponent(id)}`);

export const listSamples = async () => items(await request("GET", "/api/voice/samples"));
export const deleteSample = (id) => request("DELETE", `/api/voice/samples/${encodeURIComponent(id)}`);

/** uploadSample sends a File or Blob with an optional name and transcript. */
export function uploadSample(file, name, transcript) {
  const fd = new FormData();
  fd.append("audio", file, file.name || "recording.wav");
  if (name) fd.append("name", name);
  if (transcript) fd.append("transcript", transcript);
  return request("POST", "/api/voice/upload", { body: fd });
}

/**
 * detect asks whether a File or Blob carries this instance's watermark:
 * {watermarked, confidence, synthesis_id?, created_at?} (the synthesis
 * only when it is the caller's own).
 */
export function detect(file) {
  const fd = new FormData();
  fd.append("audio", file, file.name || "audio");
  return request("POST", "/api/voice/detect", { body: fd });
}

/** issueConsent returns a new consent challenge: {id, phrase, words, expires_at}. */
export const issueConsent = () => request("POST", "/api/voice/consent");

/** verifyConsent uploads a recording of the challenge's phrase. */
export function verifyConsent(id, blob) {
  const fd = new FormData();
  fd.append("audio", blob, blob.name || "consent.wav");
  return request("POST", `/api/voice/consent/${encodeURIComponent(id)}`, { body: fd });
}

export const listModels = async () => items(await request("GET", "/api/voice/models"));
export const createModel = (name, description, sampleIds) =>
  request("POST", "/api/voice/clone", { json: { name, description, sample_ids: sampleIds } });
export const updateModel = (id, fields) =>
  request("PATCH", `/api/voice/models/${encodeURIComponent(id)}`, { json: fields });
export const deleteModel = (id) => request("DELETE", `/api/voice/models/${encodeURIComponent(id)}`);
/** modelSummary is what the engine measured for a ready voice, with hints to improve it. */
export const modelSummary = (id) => request("GET", `/api/voice/models/${encodeURIComponent(id)}/summary`);

/** synthesize returns {blob, id, type} for the spoken text. */
export async function synthesize(params, signal) {
  const res = await request("POST", "/api/voice/synthesize", { json: params, raw: true, signal });
  const blob = await res.blob();
  return { blob, id: res.headers.get("X-Synthesis-Id") || "", type: res.headers.get("Content-Type") || blob.type };
}

/**
 * synthesizeEvents speaks as the server renders: it yields the server-sent
 * events of the answer as {event, data} (start, words, audio, done; an
 * error event is thrown as an ApiError). Errors the server finds before it
 * starts are thrown as usual.
 */
export async function* synthesizeEvents(params, signal) {
  const res = await request("POST", "/api/voice/synthesize", { json: { ...params, stream_format: "sse" }, raw: true, signal });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(0, "network", "");
    }
    if (chunk.done) break;
    buf += chunk.value;
    let end;
    while ((end = buf.indexOf("\n\n")) >= 0) {
      const ev = parseEvent(buf.slice(0, end));
      buf = buf.slice(end + 2);
      if (ev.event === "error") throw new ApiError(500, ev.data?.error?.code, ev.data?.error?.message);
      yield ev;
    }
  }
}

/** parseEvent reads one server-sent event: "event: x" and "data: {json}" lines. */
export function parseEvent(text) {
  const ev = { event: "message", data: null };
  let data = "";
  for (const line of text.split("\n")) {
    if (line.startsWith("event:")) ev.event = line.slice(6).trim();
    else if (line.startsWith("data:")) data += line.slice(5).trim();
  }
  ev.data = data ? JSON.parse(data) : null;
  return ev;
}

/** builtinVoices lists the voices anyone can speak with, without cloning. */
export const builtinVoices = async () => items(await request("GET", "/api/voice/builtin-voices"));

/** history returns one page {items, next_cursor}. */
export function history(limit, cursor) {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set("cursor", cursor);
  return request("GET", `/api/voice/history?${q}`);
}

/** historyAudio fetches a past result; an <audio> cannot send the bearer token itself. */
export async function historyAudio(id) {
  const res = await request("GET", `/api/voice/history/${encodeURIComponent(id)}/audio`, { raw: true });
  return res.blob();
}

/** startJob queues a long text to be spoken in the background; it returns the job. */
export async function startJob(params) {
  return (await request("POST", "/api/voice/jobs/synthesize", { json: params })).job;
}

/** jobs returns one page {items, next_cursor} of the user's jobs, newest first. */
export function jobs(limit, cursor) {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set("cursor", cursor);
  return request("GET", `/api/voice/jobs?${q}`);
}

/** cancelJob stops a queued or running job; it returns the job. */
export async function cancelJob(id) {
  return (await request("DELETE", `/api/voice/jobs/${encodeURIComponent(id)}`)).job;
}
