// views/auth.js is the sign-in and sign-up page: one form whose labels and
// action switch between the two.

import * as api from "../api.js";
import { $, announce, busy, clearNotice, showError } from "../ui.js";

let nav;
let mode = "signin";

/** init binds the form once. */
export function init({ navigate }) {
  nav = navigate;
  $("auth-form").addEventListener("submit", submit);
  $("auth-switch").addEventListener("click", () => {
    clearNotice();
    nav(mode === "signin" ? "/signup" : "/signin");
  });
}

/** show sets the form up for /signin or /signup. */
export function show(path) {
  mode = path === "/signup" ? "signup" : "signin";
  const up = mode === "signup";
  $("auth-title").textContent = up ? "Create your account" : "Sign in";
  $("auth-submit").textContent = up ? "Create account" : "Sign in";
  $("auth-password").autocomplete = up ? "new-password" : "current-password";
  $("auth-hint").hidden = !up;
  $("auth-switch-text").firstChild.textContent = up ? "Already have an account? " : "New here? ";
  $("auth-switch").textContent = up ? "Sign in" : "Create an account";
}

function validate(email, password) {
  if (!email || !$("auth-email").checkValidity()) return "Enter a valid email address.";
  if (!password) return "Enter your password.";
  if (mode === "signup" && password.length < 8) return "Choose a password of at least 8 characters.";
  return "";
}

async function submit(e) {
  e.preventDefault();
  const email = $("auth-email").value.trim();
  const password = $("auth-password").value;
  const problem = validate(email, password);
  if (problem) {
    showError(problem);
    return;
  }
  clearNotice();
  try {
    await busy($("auth-submit"), mode === "signup" ? "Creating account…" : "Signing in…", () =>
      mode === "signup" ? api.register(email, password) : api.login(email, password));
  } catch (err) {
    if (err.status === 401) showError("Wrong email or password.");
    else showError(err);
    return;
  }
  $("auth-password").value = "";
  announce("Signed in.");
  nav("/samples");
}
