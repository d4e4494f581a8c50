package web_test

// TestBrowser drives the web app in headless Chromium against the real
// voxclone binary: sign up, upload and record samples, create, rename and
// delete a voice, speak, browse history, make an API key and run the SDK
// code the page shows for it, check audio for the watermark, check session
// expiry, export the account's data and delete the account. It saves a
// screenshot of each main screen.

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// page is one browser tab on the app plus where its screenshots go.
type page struct {
	ctx        context.Context
	base       string
	shots      string
	upload     string  // speech WAV to upload
	uploadSecs float64 // its length
	short      string  // a WAV with too little speech for a sample
	voiceID    string  // the voice made in CreateVoice
}

func TestBrowser(t *testing.T) {
	exe := requireBrowser(t)
	start := time.Now()
	tmp := t.TempDir()
	shots := screenshotDir(t)
	t.Logf("screenshots in %s", shots)

	upload, uploadSecs := speechWAV(t, tmp, "reading", "rms", 22)
	short, _ := speechWAV(t, tmp, "hello", "slt", 2)
	mic, _ := speechWAV(t, tmp, "microphone", "kal16", 18)

	// VOXCLONE_WEB_BASE_URL points the test at a server that already runs,
	// which is quicker while working on the app's files.
	base := os.Getenv("VOXCLONE_WEB_BASE_URL")
	if base == "" {
		bin := buildBinary(t, tmp)
		base = startServer(t, bin, filepath.Join(tmp, "data"))
	}
	p := &page{ctx: newBrowser(t, exe, mic), base: base, shots: shots, upload: upload, uploadSecs: uploadSecs, short: short}

	steps := []struct {
		name string
		run  func(*testing.T)
	}{
		{"ScriptsInBrowser", p.scriptsInBrowser},
		{"SignUp", p.signUp},
		{"UploadSample", p.uploadSample},
		{"RecordSample", p.recordSample},
		{"CreateVoice", p.createVoice},
		{"Consent", p.consent},
		{"RenameVoice", p.renameVoice},
		{"VoiceDetails", p.voiceDetails},
		{"Speak", p.speak},
		{"History", p.history},
		{"PhoneLayout", p.phoneLayout},
		{"APIKeys", p.apiKeys},
		{"CheckAudio", p.checkAudio},
		{"DeleteVoice", p.deleteVoice},
		{"DeleteSample", p.deleteSample},
		{"ExpiredSession", p.expiredSession},
		{"SignOut", p.signOut},
		{"DeleteAccount", p.deleteAccount},
	}
	for _, s := range steps {
		// Each step needs the state the previous one left; stop at the first failure.
		if !t.Run(s.name, s.run) {
			return
		}
	}
	t.Logf("browser test took %s", time.Since(start).Round(time.Millisecond))
}

var (
	email    = fmt.Sprintf("reader-%d@example.com", time.Now().UnixNano())
	password = "correct horse battery"
)

// scriptsInBrowser checks the app's pure helpers in the browser's own engine.
func (p *page) scriptsInBrowser(t *testing.T) {
	p.do(t, 20*time.Second, chromedp.Navigate(p.base+"/"), chromedp.WaitVisible(chromedp.ID("view-auth")))
	got := evalJS[map[string]any](t, p, `(async () => {
		const ui = await import("/js/ui.js");
		const api = await import("/js/api.js");
		const wav = await import("/js/wav.js");
		const blob = wav.encodeWAV(new Float32Array([0, 1, -1, 0.5, 2]), 16000);
		const v = new DataView(await blob.arrayBuffer());
		return {
			m5: ui.rateLimitMessage(300), m1: ui.rateLimitMessage(61), s30: ui.rateLimitMessage(30),
			e429: ui.errorMessage(new api.ApiError(429, "rate_limited", "", 600)),
			e413: ui.errorMessage(new api.ApiError(413, "too_large", "")),
			e413s: ui.errorMessage(new api.ApiError(413, "too_large", "Audio file is larger than 25 MiB.")),
			e500: ui.errorMessage(new api.ApiError(500, "internal", "An internal error occurred.")),
			eNet: ui.errorMessage(new api.ApiError(0, "network", "")),
			e422: ui.errorMessage(new api.ApiError(422, "unprocessable", "Only 1.2 s of speech.")),
			ra: api.parseRetryAfter("120"), raBad: api.parseRetryAfter("soon"),
			size: blob.size, rate: v.getUint32(24, true), data: v.getUint32(40, true),
			s1: v.getInt16(46, true), s2: v.getInt16(48, true), s4: v.getInt16(52, true),
			ext: ui.extFor("audio/mpeg"),
		};
	})()`)
	want := map[string]any{
		"m5": "Too many requests. Please try again in 5 minutes.", "m1": "Too many requests. Please try again in 2 minutes.",
		"s30": "Too many requests. Please try again in 30 seconds.", "e429": "Too many requests. Please try again in 10 minutes.",
		"e422": "Only 1.2 s of speech.", "e413s": "Audio file is larger than 25 MiB.",
		"e500": "Something went wrong on the server. Please try again.",
		"eNet": "Cannot reach the server. Check your connection and try again.", "ra": 120.0, "raBad": nil, "size": 54.0, "rate": 16000.0, "data": 10.0,
		"s1": 32767.0, "s2": -32768.0, "s4": 32767.0, "ext": "mp3",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	if !strings.Contains(fmt.Sprint(got["e413"]), "too large") {
		t.Errorf("413 message = %q, want it to say the file is too large", got["e413"])
	}
	// Every control must have an accessible name.
	unnamed := evalJS[[]string](t, p, `[...document.querySelectorAll("input, select, textarea, button, meter, progress")]
		.filter((e) => !(e.labels && e.labels.length) && !e.getAttribute("aria-label") && !e.textContent.trim())
		.map((e) => e.id || e.outerHTML.slice(0, 60))`)
	if len(unnamed) > 0 {
		t.Errorf("controls without a label: %v", unnamed)
	}
}

func (p *page) signUp(t *testing.T) {
	p.shot(t, "01-sign-in")
	// The form works from the keyboard, and the focused control shows it.
	for i := 0; i < 6 && evalJS[string](t, p, `document.activeElement.id`) != "auth-submit"; i++ {
		p.do(t, 5*time.Second, chromedp.KeyEvent(kb.Tab))
	}
	focus := evalJS[map[string]string](t, p, `(() => { const s = getComputedStyle(document.activeElement);
		return {id: document.activeElement.id, style: s.outlineStyle, width: s.outlineWidth}; })()`)
	if focus["id"] != "auth-submit" || focus["style"] == "none" || focus["width"] == "0px" {
		t.Errorf("after tabbing, focus is %v; want the visibly outlined submit button", focus)
	}
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("auth-switch")))
	p.waitJS(t, `location.pathname === "/signup" && $("auth-title").textContent.includes("Create")`, 5*time.Second)
	p.do(t, 10*time.Second,
		chromedp.SendKeys(chromedp.ID("auth-email"), email),
		chromedp.SendKeys(chromedp.ID("auth-password"), password),
		chromedp.Click(chromedp.ID("auth-submit")))
	p.waitJS(t, `location.pathname === "/samples" && !$("view-samples").hidden`, 20*time.Second)
	if got := evalJS[string](t, p, `$("account-email").textContent`); got != email {
		t.Errorf("header shows %q, want %q", got, email)
	}
}

// uploadSample first drops a file with too little speech on the drop zone,
// which the server refuses with a message the app must show, then picks the
// joined speech with the file picker, and checks the quality report.
func (p *page) uploadSample(t *testing.T) {
	p.dropFile(t, "dropzone", p.short)
	p.waitJS(t, `!$("upload-submit").disabled && $("upload-chosen").textContent.includes("hello.wav")`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("upload-submit")))
	p.waitBanner(t, "speech", 30*time.Second)
	p.shot(t, "02-upload-refused")
	if n := evalJS[float64](t, p, `$("samples-list").children.length`); n != 0 {
		t.Fatalf("%v samples after a refused upload, want 0", n)
	}

	p.do(t, 10*time.Second,
		chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{p.upload}),
		chromedp.SendKeys(chromedp.ID("upload-name"), "Library reading"))
	p.waitJS(t, `!$("upload-submit").disabled`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("upload-submit")))
	p.waitJS(t, `!$("report").hidden && $("report-title").textContent.includes("Library reading")`, 90*time.Second)
	if !evalJS[bool](t, p, `$("notice").hidden`) {
		t.Errorf("the earlier error is still shown after a successful upload")
	}
	dur := evalJS[string](t, p, `$("report-duration").textContent.replaceAll("\u00a0", " ")`)
	var got float64
	if _, err := fmt.Sscanf(dur, "%f s", &got); err != nil || math.Abs(got-p.uploadSecs) > 0.5 {
		t.Errorf("report duration %q, want about %.1f s", dur, p.uploadSecs)
	}
	for _, id := range []string{"report-speech", "report-snr", "report-loudness", "report-score"} {
		if v := evalJS[string](t, p, `$("`+id+`").textContent`); v == "" || v == "–" {
			t.Errorf("#%s is %q, want a value", id, v)
		}
	}
	// The waveform is drawn from the local file once it is decoded: it must
	// have ink on a good part of the canvas.
	p.waitJS(t, `(() => {
		const c = $("waveform"); if (c.hidden || c.width < 100) return false;
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i+1] !== d[1] || d[i+2] !== d[2]) n++;
		return n / (d.length / 4) > 0.05;
	})()`, 10*time.Second)
	p.waitJS(t, `idle() && $("samples-list").children.length === 1`, 10*time.Second)
	p.shot(t, "03-samples-report")
}
