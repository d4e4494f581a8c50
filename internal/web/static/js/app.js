// app.js boots the app: a tiny History-API router that shows one <section>
// per page, guards the signed-in pages and wires the header.

import * as api from "./api.js";
import { $, clearNotice, showInfo } from "./ui.js";
import * as auth from "./views/auth.js";
import * as samples from "./views/samples.js";
import * as voices from "./views/voices.js";
import * as speak from "./views/speak.js";
import * as history from "./views/history.js";
import * as keys from "./views/keys.js";
import * as account from "./views/account.js";
import * as check from "./views/check.js";

// Each route names its section and the module that fills it. The server
// answers every unknown path with index.html, so these survive a reload.
const routes = {
  "/signin": { view: "view-auth", mod: auth, title: "Sign in", open: true },
  "/signup": { view: "view-auth", mod: auth, title: "Create account", open: true },
  "/samples": { view: "view-samples", mod: samples, title: "Samples" },
  "/voices": { view: "view-voices", mod: voices, title: "Voices" },
  "/speak": { view: "view-speak", mod: speak, title: "Speak" },
  "/history": { view: "view-history", mod: history, title: "History" },
  "/keys": { view: "view-keys", mod: keys, title: "API keys" },
  "/check": { view: "view-check", mod: check, title: "Check audio" },
  "/account": { view: "view-account", mod: account, title: "Your account" },
};

let current = null;

/** navigate shows the page for path and records it in the browser history. */
export function navigate(path, replace = false) {
  if (location.pathname !== path) {
    if (replace) window.history.replaceState(null, "", path);
    else window.history.pushState(null, "", path);
  }
  render();
}

function resolve(path) {
  const signedIn = api.session() !== null;
  if (path === "/" || !routes[path]) return signedIn ? "/samples" : "/signin";
  if (!routes[path].open && !signedIn) return "/signin";
  if (routes[path].open && signedIn) return "/samples";
  return path;
}

function render() {
  const path = resolve(location.pathname);
  if (path !== location.pathname) window.history.replaceState(null, "", path);
  const route = routes[path];
  const signedIn = api.session() !== null;
  $("booting").hidden = true;
  $("nav").hidden = !signedIn;
  $("account").hidden = !signedIn;
  $("account-email").textContent = signedIn ? api.session().email || "" : "";
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== route.view;
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.getAttribute("href") === path) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = `${route.title} · voxclone`;
  if (current && current !== route.mod) current.leave?.();
  const moved = current !== route.mod;
  current = route.mod;
  route.mod.show(path);
  // Move focus to the page so keyboard and screen-reader users start there.
  if (moved) $(route.view).querySelector("h1")?.focus({ preventScroll: true });
}

function onLinkClick(e) {
  const a = e.target.closest("a[data-link]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  clearNotice();
  navigate(a.getAttribute("href"));
}

function boot() {
  for (const h of document.querySelectorAll(".view h1")) h.tabIndex = -1;
  document.addEventListener("click", onLinkClick);
  window.addEventListener("popstate", render);
  $("notice-close").addEventListener("click", clearNotice);
  $("signout").addEventListener("click", () => {
    api.signOut();
    clearNotice();
    navigate("/signin");
  });
  api.setUnauthorizedHandler(() => {
    showInfo("Your session has ended. Please sign in again.");
    navigate("/signin", true);
  });
  for (const mod of [auth, samples, voices, speak, history, keys, check, account]) mod.init({ navigate });
  render();
}

boot();
