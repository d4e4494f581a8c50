// views/account.js is the account page: download everything as a zip,
// read the recent activity (the audit log), and delete the account after
// typing the password and confirming.

import * as api from "../api.js";
import { $, announce, busy, clearNotice, confirmDelete, download, el, fmtDate, loading, showError, showInfo } from "../ui.js";

let nav = () => {};
let cursor = ""; // the audit log's next page

/** init binds the buttons and the deletion form once. */
export function init(ctx) {
  nav = ctx.navigate;
  $("export-data").addEventListener("click", exportData);
  $("audit-more").addEventListener("click", () => loadAudit(false));
  $("delete-form").addEventListener("submit", remove);
}

/** show lists the newest activity. */
export function show() {
  $("delete-password").value = "";
  return loadAudit(true);
}

// Kinds of events as the page names them.
const kinds = {
  clone: "Voice cloned",
  synthesis: "Speech made",
  "job.done": "Long speech finished",
  "key.created": "API key created",
  "key.revoked": "API key revoked",
  "account.exported": "Data exported",
  "consent.issued": "Consent phrase issued",
  "consent.verified": "Consent verified",
  "consent.refused": "Consent refused",
  detect: "Audio checked",
};

async function loadAudit(fresh) {
  if (fresh) cursor = "";
  await loading($("audit-list"), async () => {
    let page;
    try {
      page = await api.listAudit(cursor);
    } catch (err) {
      showError(err);
      return;
    }
    const rows = (page.items || []).map(row);
    if (fresh) $("audit-list").replaceChildren(...rows);
    else $("audit-list").append(...rows);
    cursor = page.next_cursor || "";
    $("audit-more").hidden = !cursor;
    $("audit-empty").hidden = $("audit-list").children.length > 0;
  });
}

function row(ev) {
  const from = [ev.client && `from ${ev.client}`, ev.request_id && `request ${ev.request_id}`].filter(Boolean).join(", ");
  return el("li", { class: "item", "data-kind": ev.kind },
    el("div", { class: "grow" },
      el("p", {}, el("strong", { text: kinds[ev.kind] || ev.kind }), " ", el("span", { class: "muted small", text: ev.detail || "" })),
      el("p", { class: "muted small", text: `${fmtDate(ev.created_at)}${from ? " · " + from : ""}` })));
}

async function exportData() {
  clearNotice();
  try {
    const link = await busy($("export-data"), "Preparing…", api.exportLink);
    download(link.url, "voxclone-export.zip");
    announce("Your data is downloading.");
    // The server records the export once the download has begun.
    setTimeout(() => loadAudit(true), 2000);
  } catch (err) {
    showError(err);
  }
}

async function remove(e) {
  e.preventDefault();
  const password = $("delete-password").value;
  if (!password) return showError("Enter your password to delete your account.");
  clearNotice();
  if (!(await confirmDelete("Delete your account and everything in it? This cannot be undone."))) return;
  try {
    await busy($("delete-submit"), "Deleting…", () => api.deleteAccount(password));
  } catch (err) {
    $("delete-password").value = "";
    showError(err.code === "forbidden" ? "Wrong password: your account was not deleted." : err);
    return;
  }
  api.signOut();
  nav("/signin", true);
  showInfo("Your account and all its data were deleted.");
}
