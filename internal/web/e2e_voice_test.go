package web_test

// The later steps of TestBrowser: recording, voices, speaking, history,
// phone layout and session handling.

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
)

// recordFor is long enough for the server's minimum of speech per sample.
const recordFor = 14 * time.Second

// recordSample records the fake microphone (real speech from a file), checks
// the WAV the page built, and uploads it.
func (p *page) recordSample(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("rec-toggle")))
	p.waitJS(t, `$("rec-toggle").getAttribute("aria-pressed") === "true"`, 10*time.Second)
	// The meter must move with the speech while recording.
	p.waitJS(t, `$("rec-level").value > 0.3`, 5*time.Second)
	p.waitJS(t, `$("rec-time").textContent === "0:03"`, 10*time.Second)
	p.shot(t, "04-recording")
	p.waitJS(t, `$("rec-time").textContent === "`+fmt.Sprintf("0:%02d", int(recordFor.Seconds()))+`"`, recordFor)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("rec-toggle")))
	p.waitJS(t, `!$("rec-use").hidden`, 10*time.Second)

	// The page's CSP keeps scripts from fetching blob: URLs, so the take is
	// checked through the player (the browser must decode the WAV), the
	// length the page counted, and the server's analysis of the upload. The
	// stop click lands a little after the clock shows recordFor, so the take
	// may be somewhat longer, never shorter.
	p.waitJS(t, `$("rec-audio").readyState >= 1`, 10*time.Second)
	played := evalJS[float64](t, p, `$("rec-audio").duration`)
	if played < recordFor.Seconds()-0.2 || played > recordFor.Seconds()+3 {
		t.Errorf("recording plays for %.2f s, want about %.0f s", played, recordFor.Seconds())
	}
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("rec-use")))
	p.waitJS(t, `$("upload-chosen").textContent.includes("Recording") && !$("upload-submit").disabled`, 5*time.Second)
	var counted float64
	chosen := evalJS[string](t, p, `$("upload-chosen").textContent.replaceAll("\u00a0", " ")`)
	if _, err := fmt.Sscanf(chosen, "Selected: Recording, %f s", &counted); err != nil || math.Abs(counted-played) > 0.1 {
		t.Errorf("page says %q; the player says %.2f s", chosen, played)
	}
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("upload-submit")))
	p.waitJS(t, `idle() && $("report-title").textContent.includes("recording-") && $("samples-list").children.length === 2`, 90*time.Second)
	var secs, speech float64
	dur := evalJS[string](t, p, `($("report-duration").textContent + "|" + $("report-speech").textContent).replaceAll("\u00a0", " ")`)
	if _, err := fmt.Sscanf(dur, "%f s|%f s", &secs, &speech); err != nil || math.Abs(secs-played) > 0.15 || speech < 5 {
		t.Errorf("server sees the recording as %q (duration|speech), want %.1f s with speech in it", dur, played)
	}
}

func (p *page) createVoice(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/voices"]`)))
	p.waitJS(t, `idle() && !$("view-voices").hidden && $("clone-samples").querySelectorAll("input").length === 2`, 10*time.Second)
	p.do(t, 10*time.Second,
		chromedp.Click(chromedp.ID("clone-sample-0")),
		chromedp.Click(chromedp.ID("clone-sample-1")),
		chromedp.SendKeys(chromedp.ID("clone-name"), "Narrator"),
		chromedp.SendKeys(chromedp.ID("clone-description"), "Calm, for audiobooks"),
		chromedp.Click(chromedp.ID("clone-submit")))
	// A worker builds the voice: first it shows as being built, with a
	// progress bar, then the page finds it ready without a reload.
	p.waitJS(t, `idle() && $("voices-list").textContent.includes("Narrator") && $("voices-list").textContent.includes("Building")
		&& $("voices-list").querySelector("li progress") !== null`, 30*time.Second)
	p.shot(t, "05a-voice-building")
	p.waitJS(t, `idle() && $("voices-list").textContent.includes("Narrator") && $("voices-list").textContent.includes("Ready")
		&& $("voices-list").querySelector("li progress") === null`, 120*time.Second)
	p.voiceID = evalJS[string](t, p, `$("voices-list").querySelector("li").dataset.id`)
	if n := evalJS[float64](t, p, `$("clone-samples").querySelectorAll("input").length`); n != 2 {
		t.Errorf("%v sample checkboxes after creating, want 2", n)
	}
	p.shot(t, "05-voices")
}

// consent gets a phrase on the Voices page and records the fake microphone
// reading something else: the card must show the phrase as the server
// issued it and, after the recording, the server's refusal word for word.
// (The server under test has no way to set the phrase to what the fake
// microphone says; internal/app tests a verified consent with real speech.)
func (p *page) consent(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("consent-new")))
	p.waitJS(t, `!$("consent-phrase").hidden && !$("consent-rec-row").hidden`, 10*time.Second)
	phrase := evalJS[string](t, p, `$("consent-phrase").textContent`)
	words := strings.Fields(phrase)
	if !strings.HasPrefix(phrase, "I agree that my voice may be cloned. ") || len(words) < 8+6 || len(words) > 8+8 {
		t.Errorf("consent phrase %q, want the statement and 6–8 words", phrase)
	}
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("consent-rec")))
	p.waitJS(t, `$("consent-rec").getAttribute("aria-pressed") === "true"`, 10*time.Second)
	p.waitJS(t, `$("consent-time").textContent === "0:06"`, 15*time.Second)
	p.shot(t, "05c-consent-recording")
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("consent-rec")))
	p.waitJS(t, `$("consent-status").dataset.state === "refused"`, 90*time.Second)
	got := evalJS[string](t, p, `$("consent-status").textContent`)
	want := "The recording does not say the phrase; read all of it aloud, clearly. Ask for a new phrase and record it again."
	if got != want {
		t.Errorf("consent status %q, want the server's message %q", got, want)
	}
	if !evalJS[bool](t, p, `$("consent-rec-row").hidden && $("consent-new").textContent === "Get a new phrase"`) {
		t.Error("after an answer the card still offers to record the used phrase")
	}
	p.shot(t, "05d-consent-refused")
}

func (p *page) renameVoice(t *testing.T) {
	p.clickIn(t, "voices-list", "Narrator", "Edit")
	p.fill(t, "edit-name-"+p.voiceID, "Evening narrator")
	p.do(t, 10*time.Second,
		chromedp.Click(chromedp.JSPath(`document.querySelector("#voices-list button[type=submit]")`)))
	p.waitJS(t, `idle() && $("voices-list").textContent.includes("Evening narrator") && !$("voices-list").querySelector("form")`, 10*time.Second)
}

// voiceDetails opens the summary of the voice just made: the panel must
// say what the server measured (its pitch, and its hints word for word)
// and the button must report the panel's state to assistive technology.
func (p *page) voiceDetails(t *testing.T) {
	details := `$("voices-list").querySelector("button[aria-controls]")`
	if got := evalJS[string](t, p, details+`.getAttribute("aria-expanded")`); got != "false" {
		t.Errorf("Details button aria-expanded = %q before opening, want false", got)
	}
	p.clickIn(t, "voices-list", "Evening narrator", "Details")
	panel := `$("details-` + p.voiceID + `")`
	p.waitJS(t, `idle() && !`+panel+`.hidden && `+details+`.getAttribute("aria-expanded") === "true"`, 10*time.Second)
	want := evalJS[map[string]any](t, p, `import("/js/api.js").then((m) => m.modelSummary(`+jsString(p.voiceID)+`))`)
	text := evalJS[string](t, p, panel+`.textContent.replaceAll("\u00a0", " ")`)
	median := want["pitch"].(map[string]any)["median_hz"].(float64)
	if median < 60 || median > 400 || !strings.Contains(text, fmt.Sprintf("Median pitch%.0f Hz", median)) {
		t.Errorf("details %q, want the median pitch %.1f Hz", text, median)
	}
	pool := want["pool"].(map[string]any)
	if covered := fmt.Sprintf("Sounds covered%v of 39", pool["phones_covered"]); !strings.Contains(text, covered) {
		t.Errorf("details %q, want %q", text, covered)
	}
	shown := evalJS[[]string](t, p, `[...`+panel+`.querySelectorAll("li")].map((li) => li.textContent)`)
	hints := want["hints"].([]any)
	if len(hints) == 0 || len(shown) != len(hints) {
		t.Fatalf("details list %q, want the server's hints %q", shown, hints)
	}
	for i, h := range hints {
		if !strings.EqualFold(shown[i], h.(string)) {
			t.Errorf("hint %d shown as %q, want %q", i, shown[i], h)
		}
	}
	p.shot(t, "05b-voice-details")
	p.clickIn(t, "voices-list", "Evening narrator", "Details")
	p.waitJS(t, panel+`.hidden && `+details+`.getAttribute("aria-expanded") === "false"`, 5*time.Second)
}

const sentence = "The quick brown fox jumps over the lazy dog."

// speak goes from the voice's Speak button to a playable result.
func (p *page) speak(t *testing.T) {
	p.clickIn(t, "voices-list", "Evening narrator", "Speak")
	p.waitJS(t, `idle() && !$("view-speak").hidden && $("speak-voice").value === `+jsString(p.voiceID), 10*time.Second)
	p.do(t, 10*time.Second, chromedp.SendKeys(chromedp.ID("speak-text"), sentence))
	if got := evalJS[string](t, p, `$("speak-count").textContent`); got != "44 / 100,000" {
		t.Errorf("counter %q, want %q", got, "44 / 100,000")
	}
	// WAV cannot be played piece by piece: it plays once complete.
	p.do(t, 10*time.Second,
		chromedp.SetValue(chromedp.ID("speak-format"), "wav"),
		chromedp.Click(chromedp.ID("speak-submit")))
	p.waitJS(t, `!$("speak-result").hidden && $("speak-result").dataset.state === "done"`, 120*time.Second)
	if words := evalJS[string](t, p, `[...$("speak-reader").querySelectorAll(".word")].map((w) => w.textContent).join(" ")`); words+"." != sentence {
		t.Errorf("the reader shows the words %q, want those of %q", words, sentence)
	}
	// A playable source: the browser decoded the header and knows the length.
	p.waitJS(t, `$("speak-audio").readyState >= 1 && $("speak-audio").duration > 0.5 && isFinite($("speak-audio").duration)`, 20*time.Second)
	dl := evalJS[map[string]string](t, p, `({href: $("speak-download").href, name: $("speak-download").download})`)
	if !strings.HasPrefix(dl["href"], "blob:") || !strings.HasSuffix(dl["name"], ".wav") {
		t.Errorf("download link %v, want a blob: URL saved as .wav", dl)
	}
	p.shot(t, "06-speak")

	// Again as MP3 at lower likeness, watching for the progress bar while
	// the server works and for the request the page sends.
	evalJS[any](t, p, `(() => { window.sawProgress = false;
		new MutationObserver(() => { if (!$("speak-progress").hidden) window.sawProgress = true; })
			.observe($("speak-progress"), {attributes: true});
		const f = window.fetch;
		window.fetch = (u, o) => { if (String(u).endsWith("/synthesize")) window.sentBody = o.body; return f(u, o); };
		const s = $("speak-likeness"); s.value = "0.4"; s.dispatchEvent(new Event("input")); })()`)
	if out := evalJS[string](t, p, `$("speak-likeness-out").textContent`); out != "40%" {
		t.Errorf("likeness label %q after moving the slider to 0.4, want 40%%", out)
	}
	p.do(t, 10*time.Second,
		chromedp.SetValue(chromedp.ID("speak-format"), "mp3"),
		chromedp.Click(chromedp.ID("speak-submit")))
	p.waitJS(t, `window.sawProgress && $("speak-progress").hidden && $("speak-download").download.endsWith(".mp3")`, 120*time.Second)
	p.waitJS(t, `$("speak-audio").readyState >= 1 && $("speak-audio").duration > 0.5 && isFinite($("speak-audio").duration)`, 20*time.Second)
	if sent := evalJS[float64](t, p, `JSON.parse(window.sentBody).similarity`); sent != 0.4 {
		t.Errorf("the page sent similarity %v, want the slider's 0.4", sent)
	}
	p.speakInBackground(t)
}

// speakInBackground sends the same text as a job: the list shows it until
// a worker has spoken it, and then plays the result.
func (p *page) speakInBackground(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("speak-job")))
	p.waitJS(t, `$("jobs-list").children.length === 1 && $("jobs-empty").hidden`, 10*time.Second)
	p.waitJS(t, `$("jobs-list").textContent.includes("Done") && $("jobs-list").querySelector("progress") === null`, 120*time.Second)
	if row := evalJS[string](t, p, `$("jobs-list").textContent`); !strings.Contains(row, sentence) || !strings.Contains(row, "44 characters") {
		t.Errorf("job row %q, want the text and its length", row)
	}
	p.clickIn(t, "jobs-list", "quick brown fox", "Play")
	p.waitJS(t, `!$("jobs-audio").hidden && $("jobs-audio").readyState >= 1 && $("jobs-audio").duration > 0.5`, 20*time.Second)
	p.shot(t, "06b-speak-job")
}

func (p *page) history(t *testing.T) {
	// One entry a page, so "Load more" has to follow the server's cursor.
	evalJS[any](t, p, `import("/js/views/history.js").then((m) => m.setPageSize(1))`)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/history"]`)))
	p.waitJS(t, `idle() && $("history-list").children.length === 1 && !$("history-more").hidden`, 10*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("history-more")))
	p.waitJS(t, `idle() && $("history-list").children.length === 2 && !$("history-more").hidden`, 10*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("history-more")))
	p.waitJS(t, `idle() && $("history-list").children.length === 3`, 10*time.Second)
	p.waitJS(t, `$("history-more").hidden`, 5*time.Second)
	evalJS[any](t, p, `import("/js/views/history.js").then((m) => m.setPageSize(20))`)
	row := evalJS[string](t, p, `$("history-list").textContent`)
	if !strings.Contains(row, sentence) || !strings.Contains(row, "Evening narrator") {
		t.Errorf("history row %q, want the sentence and the voice's name", row)
	}
	if !strings.Contains(row, "MP3") || !strings.Contains(row, "WAV") {
		t.Errorf("history %q, want an MP3 and a WAV entry", row)
	}
	p.clickIn(t, "history-list", "quick brown fox", "Play")
	p.waitJS(t, `!$("history-audio").hidden && $("history-audio").duration > 0.5`, 20*time.Second)
	p.shot(t, "07-history")
}

// phoneLayout checks that a phone-sized screen needs no sideways scrolling.
func (p *page) phoneLayout(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	p.phoneVoiceDetails(t)
	for _, path := range []string{"/samples", "/speak", "/keys", "/history", "/check"} {
		p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="`+path+`"]`)))
		p.waitJS(t, `idle() && location.pathname === `+jsString(path), 5*time.Second)
		if w := evalJS[float64](t, p, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s is %v px wide on a 390 px screen", path, w)
		}
	}
	p.waitJS(t, `idle() && $("history-list").children.length === 3`, 10*time.Second)
	p.shot(t, "08-phone-history")
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/speak"]`)))
	p.waitJS(t, `idle()`, 5*time.Second)
	p.shot(t, "09-phone-speak")
	// The dark colour scheme must keep text readable on its background.
	p.colorScheme(t, "dark")
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/samples"]`)))
	p.waitJS(t, `idle() && getComputedStyle(document.body).backgroundColor === "rgb(21, 20, 27)"`, 5*time.Second)
	p.shot(t, "10-phone-dark")
	p.colorScheme(t, "")
	p.do(t, 10*time.Second, chromedp.Emulate(device.Reset), chromedp.EmulateViewport(1280, 900))
}

// phoneVoiceDetails opens a voice's details on the phone-sized screen:
// four buttons and the hints must still fit its width.
func (p *page) phoneVoiceDetails(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/voices"]`)))
	p.waitJS(t, `idle() && !$("view-voices").hidden && $("voices-list").children.length === 1`, 10*time.Second)
	p.clickIn(t, "voices-list", "Evening narrator", "Details")
	p.waitJS(t, `idle() && !$("details-`+p.voiceID+`").hidden`, 10*time.Second)
	if w := evalJS[float64](t, p, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("/voices with details open is %v px wide on a 390 px screen", w)
	}
	p.shot(t, "08-phone-voice-details")
}

func (p *page) deleteVoice(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/voices"]`)))
	p.waitJS(t, `idle() && $("voices-list").children.length === 1`, 10*time.Second)
	p.clickIn(t, "voices-list", "Evening narrator", "Delete")
	p.waitJS(t, `$("confirm").open`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("confirm-ok")))
	p.waitJS(t, `idle() && !$("confirm").open && $("voices-list").children.length === 0 && !$("voices-empty").hidden`, 10*time.Second)
}

// deleteSample removes the recorded sample, and with it its report.
func (p *page) deleteSample(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/samples"]`)))
	p.waitJS(t, `idle() && $("samples-list").children.length === 2`, 10*time.Second)
	p.clickIn(t, "samples-list", "recording-", "Report")
	p.waitJS(t, `!$("report").hidden && $("report-title").textContent.includes("recording-")`, 5*time.Second)
	p.clickIn(t, "samples-list", "recording-", "Delete")
	p.waitJS(t, `$("confirm").open`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("confirm-ok")))
	p.waitJS(t, `idle() && $("samples-list").children.length === 1 && $("report").hidden`, 10*time.Second)
	if got := evalJS[string](t, p, `$("samples-list").textContent`); !strings.Contains(got, "Library reading") {
		t.Errorf("samples left: %q, want the uploaded one", got)
	}
}

// expiredSession plants a token the server rejects: the next call must send
// the user to sign-in with an explanation.
func (p *page) expiredSession(t *testing.T) {
	evalJS[any](t, p, `sessionStorage.setItem("voxclone.session", JSON.stringify({token: "not-a-valid-token", email: "x@example.com"}))`)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/history"]`)))
	p.waitJS(t, `location.pathname === "/signin" && !$("view-auth").hidden && $("nav").hidden`, 10*time.Second)
	if msg := evalJS[string](t, p, `$("notice-text").textContent`); !strings.Contains(msg, "sign in again") {
		t.Errorf("notice %q, want it to ask to sign in again", msg)
	}
}

// signOut signs in with the account made earlier, then signs out.
func (p *page) signOut(t *testing.T) {
	p.fill(t, "auth-email", email)
	p.fill(t, "auth-password", password)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("auth-submit")))
	p.waitJS(t, `idle() && location.pathname === "/samples" && $("samples-list").children.length === 1`, 15*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("signout")))
	p.waitJS(t, `location.pathname === "/signin" && sessionStorage.getItem("voxclone.session") === null`, 5*time.Second)
}
