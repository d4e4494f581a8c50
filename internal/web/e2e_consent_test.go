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
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/web"
)

// The consent fixture is internal/app's: a VCTK speaker's third reading
// answers the challenge (set to its transcript), the following readings
// are the samples. Another VCTK speaker's third reading is the same
// sentence in another voice.
const (
	consentSpeaker = "vctk_p225"
	consentReading = 2
	samplesFrom    = 3
	samplesTo      = 10
	otherSpeaker   = "vctk_p226"
)

// TestBrowserConsent takes the consent card's paths with real readings of
// the phrase, picked with the card's file input. A clone without consent
// is refused with the server's advice. A file that is not audio leaves
// the phrase open. Another person's reading is
// verified (it says the phrase) but the clone is then refused as
// consent_mismatch, on the banner and on the card, and makes no voice;
// the samples' own speaker's reading is verified and the voice is made.
func TestBrowserConsent(t *testing.T) {
	reading := speechtest.WAVs(t, consentSpeaker)[consentReading]
	transcript := speechtest.Transcript(reading)
	other := speechtest.WAVs(t, otherSpeaker)[consentReading]
	if got := speechtest.Transcript(other); got != transcript {
		t.Fatalf("%s reads %q, not the phrase %q", other, got, transcript)
	}
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

	// A file that is not audio is refused before it is checked, and the
	// phrase stays open for the recording.
	notAudio := filepath.Join(tmp, "notes.wav")
	if err := os.WriteFile(notAudio, []byte("not a recording"), 0o600); err != nil {
		t.Fatal(err)
	}
	p.consentPhrase(t, transcript)
	p.do(t, 10*time.Second, chromedp.SetUploadFiles(chromedp.ID("consent-file"), []string{notAudio}))
	p.waitJS(t, `$("consent-status").dataset.state === "error" && !$("consent-rec-row").hidden`, 30*time.Second)
	if st := consentStatus(t, p); !strings.Contains(st["text"], "Unsupported audio format") {
		t.Errorf("consent card shows %v for a file that is not audio", st)
	}
	p.sendConsent(t, other)
	// The form kept the sample and the name from the refused attempt.
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("clone-submit")))
	const mismatch = "does not sound like the voice in your consent recording"
	p.waitBanner(t, mismatch, 60*time.Second)
	p.poll(t, `idle() && "ok"`, 10*time.Second) // waitJS would stop at the banner
	p.shot(t, "05e-consent-mismatch")
	if st := consentStatus(t, p); st["state"] != "mismatch" || !strings.Contains(st["text"], "Sample 1 of the clone "+mismatch) {
		t.Errorf("consent card shows %v after the clone was refused, want the server's consent_mismatch message", st)
	}
	if n := evalJS[int](t, p, `$("voices-list").children.length`); n != 0 {
		t.Errorf("%d voices after a refused clone, want none", n)
	}
	// The other voice's consent is still unused; the clone stays refused.
	p.do(t, 5*time.Second, chromedp.Click(chromedp.ID("notice-close")))
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("clone-submit")))
	p.waitBanner(t, mismatch, 60*time.Second)
	p.do(t, 5*time.Second, chromedp.Click(chromedp.ID("notice-close")))

	p.answerConsent(t, reading, transcript)
	p.shot(t, "05f-consent-verified")
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("clone-submit")))
	p.waitJS(t, `idle() && $("voices-list").textContent.includes("Consented") && $("voices-list").textContent.includes("Ready")`, 180*time.Second)
	p.shot(t, "05g-consented-voice")
	if n := evalJS[int](t, p, `$("voices-list").children.length`); n != 1 {
		t.Errorf("%d voices, want the one consented", n)
	}
}

// answerConsent gets a phrase on the consent card and answers it with the
// recording file (see consentPhrase and sendConsent).
func (p *page) answerConsent(t *testing.T, file, transcript string) {
	t.Helper()
	p.consentPhrase(t, transcript)
	p.sendConsent(t, file)
}

// consentPhrase gets a phrase on the consent card and checks that it is
// the transcript.
func (p *page) consentPhrase(t *testing.T, transcript string) {
	t.Helper()
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("consent-new")))
	p.waitJS(t, `$("consent-status").dataset.state === "pending" && !$("consent-phrase").hidden && !$("consent-rec-row").hidden`, 10*time.Second)
	if got := evalJS[string](t, p, `$("consent-phrase").textContent`); got != strings.Join(strings.Fields(transcript), " ") {
		t.Errorf("consent phrase %q, want the reading's transcript %q", got, transcript)
	}
}

// sendConsent answers the phrase shown with the recording file; the card
// must then say it is verified and no longer offer to answer the phrase.
func (p *page) sendConsent(t *testing.T, file string) {
	t.Helper()
	p.do(t, 10*time.Second, chromedp.SetUploadFiles(chromedp.ID("consent-file"), []string{file}))
	p.waitJS(t, `["verified", "refused"].includes($("consent-status").dataset.state)`, 120*time.Second)
	if st := consentStatus(t, p); st["state"] != "verified" || !strings.HasPrefix(st["text"], "Verified.") {
		t.Fatalf("consent card shows %v after %s read the phrase, want verified", st, filepath.Base(file))
	}
	if !evalJS[bool](t, p, `$("consent-rec-row").hidden && $("consent-new").textContent === "Get a new phrase"`) {
		t.Error("after an answer the card still offers to answer the used phrase")
	}
}

func consentStatus(t *testing.T, p *page) map[string]string {
	t.Helper()
	return evalJS[map[string]string](t, p, `({state: $("consent-status").dataset.state, text: $("consent-status").textContent})`)
}

// startConsentServer serves the API and the web app in process, on
// SQLite, with consent required and the challenge set by challenge: the
// test hook the voxclone binary does not have.
func startConsentServer(t *testing.T, challenge func() consent.Challenge) string {
	t.Helper()
	dir := t.TempDir()
	db := sqlitetest.Open(t, filepath.Join(dir, "voxclone.db"))
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
