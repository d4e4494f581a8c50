package web_test

import (
	"crypto/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/sqlite"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/web"
)

// The consent fixture is internal/app's: a VCTK speaker's third reading
// answers the challenge (set to its transcript), the following readings
// are the samples.
const (
	consentSpeaker = "vctk_p225"
	consentReading = 2
	samplesFrom    = 3
	samplesTo      = 10
)

// TestBrowserConsent takes the consent card's verified path: a real
// person's reading of the phrase, picked with the card's file input, is
// verified, and a voice is then made from samples of the same person.
// Before it, a clone without consent is refused with the server's advice.
func TestBrowserConsent(t *testing.T) {
	reading := speechtest.WAVs(t, consentSpeaker)[consentReading]
	transcript := speechtest.Transcript(reading)
	exe := requireBrowser(t)
	tmp := t.TempDir()
	samples := writeJoined(t, filepath.Join(tmp, "my-readings.wav"), consentSpeaker, samplesFrom, samplesTo)
	mic := filepath.Join(tmp, "silence.wav")
	if err := os.WriteFile(mic, wavFile(16000, make([]byte, 32000)), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startConsentServer(t, func() consent.Challenge { return consent.Challenge{Words: strings.Fields(transcript)} })
	p := &page{ctx: newBrowser(t, exe, mic), base: base, shots: screenshotDir(t)}
	p.do(t, 20*time.Second, chromedp.Navigate(p.base+"/"), chromedp.WaitVisible(chromedp.ID("view-auth")))
	p.signUp(t)

	p.do(t, 10*time.Second,
		chromedp.SetUploadFiles(chromedp.ID("upload-file"), []string{samples}),
		chromedp.SendKeys(chromedp.ID("upload-name"), "My readings"))
	p.waitJS(t, `!$("upload-submit").disabled`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("upload-submit")))
	p.waitJS(t, `idle() && $("samples-list").children.length === 1`, 90*time.Second)

	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/voices"]`)))
	// A lone sample comes ticked.
	p.waitJS(t, `idle() && !$("view-voices").hidden && $("clone-samples").querySelectorAll("input:checked").length === 1`, 10*time.Second)
	p.do(t, 10*time.Second,
		chromedp.SendKeys(chromedp.ID("clone-name"), "Consented"),
		chromedp.Click(chromedp.ID("clone-submit")))
	p.waitBanner(t, "Cloning needs your spoken consent first", 30*time.Second)
	p.do(t, 5*time.Second, chromedp.Click(chromedp.ID("notice-close")))

	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("consent-new")))
	p.waitJS(t, `!$("consent-phrase").hidden && !$("consent-rec-row").hidden`, 10*time.Second)
	if got := evalJS[string](t, p, `$("consent-phrase").textContent`); got != strings.Join(strings.Fields(transcript), " ") {
		t.Errorf("consent phrase %q, want the reading's transcript %q", got, transcript)
	}
	p.do(t, 10*time.Second, chromedp.SetUploadFiles(chromedp.ID("consent-file"), []string{reading}))
	p.waitJS(t, `["verified", "refused"].includes($("consent-status").dataset.state)`, 120*time.Second)
	p.shot(t, "05e-consent-verified")
	if st := evalJS[map[string]string](t, p, `({state: $("consent-status").dataset.state, text: $("consent-status").textContent})`); st["state"] != "verified" || !strings.HasPrefix(st["text"], "Verified.") {
		t.Fatalf("consent card shows %v after the speaker's reading of the phrase, want verified", st)
	}
	if !evalJS[bool](t, p, `$("consent-rec-row").hidden && $("consent-new").textContent === "Get a new phrase"`) {
		t.Error("after an answer the card still offers to answer the used phrase")
	}

	// The form kept the sample and the name from the refused attempt.
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("clone-submit")))
	p.waitJS(t, `idle() && $("voices-list").textContent.includes("Consented") && $("voices-list").textContent.includes("Ready")`, 180*time.Second)
	p.shot(t, "05f-consented-voice")
}

// startConsentServer serves the API and the web app in process, on
// SQLite, with consent required and the challenge set by challenge: the
// test hook the voxclone binary does not have.
func startConsentServer(t *testing.T, challenge func() consent.Challenge) string {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "voxclone.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewLocal(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	q, err := jobs.NewSQLite(db.Writer(), jobs.Config{Workers: 1, PollInterval: 100 * time.Millisecond})
	if err == nil {
		err = q.Migrate(t.Context())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Stop(10 * time.Second) })
	svc, err := app.NewService(app.Config{JWTSecret: []byte(rand.Text() + rand.Text()), RequireConsent: true, ConsentChallenge: challenge},
		app.Deps{Store: db, Blobs: blobs, Engine: voice.New(voice.Config{}), Queue: q})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(svc); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.NewHandler(httpapi.Config{Service: svc, Web: web.Handler()}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// writeJoined writes a speaker's readings from..to-1, one after another,
// to path as one WAV file.
func writeJoined(t *testing.T, path, speaker string, from, to int) string {
	t.Helper()
	var all *audio.PCM
	for _, w := range speechtest.WAVs(t, speaker)[from:to] {
		p := speechtest.Load(t, w).Mono()
		if all == nil {
			all = &audio.PCM{Rate: p.Rate, Channels: 1}
		}
		if p.Rate != all.Rate {
			t.Fatalf("%s: %d Hz among %d Hz readings", w, p.Rate, all.Rate)
		}
		all.Samples = append(all.Samples, p.Samples...)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := wav.Encode(f, all, wav.PCM16); err != nil {
		t.Fatal(err)
	}
	return path
}
