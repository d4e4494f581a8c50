package app_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/watermark"
)

// consentSpeaker's first readings are the consent recording (its
// transcript is set as the challenge through the test hook) and the rest
// its samples; otherSpeaker's readings are another voice.
const (
	consentSpeaker   = "vctk_p225"
	consentReading   = 2 // p225_003: "Six spoons of fresh snow peas…"
	otherSpeaker     = "vctk_p226"
	firstSampleIndex = 3
)

// joined decodes a speaker's readings from..to-1 into one recording.
func joined(t *testing.T, speaker string, from, to int) *audio.PCM {
	t.Helper()
	wavs := speechtest.WAVs(t, speaker)
	var out *audio.PCM
	for _, w := range wavs[from:min(to, len(wavs))] {
		p := speechtest.Load(t, w).Mono()
		if out == nil {
			out = &audio.PCM{Rate: p.Rate, Channels: 1}
		}
		if p.Rate != out.Rate {
			t.Fatalf("%s: %d Hz among %d Hz readings", w, p.Rate, out.Rate)
		}
		out.Samples = append(out.Samples, p.Samples...)
	}
	return out
}

type consentFixture struct {
	*fixture
	user       app.User
	transcript string
	reading    []byte // the consent recording, WAV
}

func newConsentFixture(t *testing.T, b backend) *consentFixture {
	t.Helper()
	wav := speechtest.WAVs(t, consentSpeaker)[consentReading]
	cf := &consentFixture{transcript: speechtest.Transcript(wav)}
	f := newFixture(t, b.open(t), voice.New(voice.Config{}))
	f.cfg.RequireConsent = true
	f.cfg.ConsentChallenge = func() consent.Challenge {
		return consent.Challenge{Words: strings.Fields(cf.transcript)}
	}
	f.svc = f.service(t, voice.New(voice.Config{}))
	cf.fixture = f
	cf.user, _ = f.register(t, "speaker@example.com")
	cf.reading = encode(t, speechtest.Load(t, wav), audio.FormatWAV)
	return cf
}

func (cf *consentFixture) upload(t *testing.T, pcm *audio.PCM) string {
	t.Helper()
	s, err := cf.svc.UploadSample(t.Context(), cf.user.ID, app.UploadInput{Data: bytes.NewReader(encode(t, pcm, audio.FormatWAV))})
	must(t, err)
	return s.ID
}

func (cf *consentFixture) clone(t *testing.T, ids ...string) error {
	t.Helper()
	_, err := cf.svc.CreateModel(t.Context(), cf.user.ID, app.CreateModelInput{SampleIDs: ids})
	return err
}

func (cf *consentFixture) answer(t *testing.T, data []byte) (app.Consent, error) {
	t.Helper()
	c, err := cf.svc.IssueConsent(t.Context(), cf.user.ID)
	must(t, err)
	return cf.svc.VerifyConsent(t.Context(), cf.user.ID, c.ID, bytes.NewReader(data))
}

// TestConsentClone: without consent a clone is consent_required; the
// speaker reading the challenge passes, and then one clone of the same
// voice is allowed, only one; another voice's sample is consent_mismatch,
// which the audit log records as the consent's refusal, naming the sample
// (an attempt to clone someone else's voice used to leave no trace).
func TestConsentClone(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		cf := newConsentFixture(t, b)
		own := cf.upload(t, joined(t, consentSpeaker, firstSampleIndex, 10))
		other := cf.upload(t, joined(t, otherSpeaker, 0, 7))

		err := cf.clone(t, own)
		wantCode(t, err, app.EConsentRequired)
		if !strings.Contains(app.ErrorMessage(err), "/api/voice/consent") {
			t.Errorf("consent_required message does not say what to do: %q", app.ErrorMessage(err))
		}

		c, err := cf.answer(t, cf.reading)
		must(t, err)
		if c.VerifiedAt == nil || len(c.Print) == 0 {
			t.Fatalf("verified consent = %+v", c)
		}
		err = cf.clone(t, own, other)
		wantCode(t, err, app.EConsentMismatch)
		if !strings.Contains(app.ErrorMessage(err), "Sample 2") {
			t.Errorf("mismatch message does not name the sample: %q", app.ErrorMessage(err))
		}
		must(t, cf.clone(t, own))
		wantCode(t, cf.clone(t, own), app.EConsentRequired) // one clone per consent

		// A consent is good for ConsentTTL.
		_, err = cf.answer(t, cf.reading)
		must(t, err)
		cf.clock.Advance(consent.ConsentTTL + time.Second)
		wantCode(t, cf.clone(t, own), app.EConsentRequired)

		kinds := map[string]int{}
		page, err := cf.svc.ListAudit(t.Context(), cf.user.ID, 100, "")
		must(t, err)
		for _, e := range page.Items {
			kinds[e.Kind]++
			if e.Kind == app.AuditConsentRefused && (e.Subject != c.ID || e.Detail != "mismatch sample="+other) {
				t.Errorf("refusal event %+v, want subject %s and detail %q", e, c.ID, "mismatch sample="+other)
			}
		}
		if kinds[app.AuditConsentIssued] != 2 || kinds[app.AuditConsentVerified] != 2 || kinds[app.AuditConsentRefused] != 1 {
			t.Errorf("audit log kinds %v, want 2 issued, 2 verified and the mismatch refused", kinds)
		}
	})
}

// TestConsentRefused: silence, noise, the wrong words and voxclone's own
// (watermarked) output are refused with a message; a challenge is
// answered once, and not after it expires; another user cannot answer it.
func TestConsentRefused(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		cf := newConsentFixture(t, b)
		silence := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 8*16000)}
		rng := rand.New(rand.NewPCG(3, 4))
		noise := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 8*16000)}
		for i := range noise.Samples {
			noise.Samples[i] = float32(rng.NormFloat64() * 0.1)
		}
		key, err := watermark.KeyFrom(append([]byte("watermark:"), testSecret...))
		must(t, err)
		// The mark needs a few seconds of audio to be found surely; the
		// detector's own tests measure how many.
		marked := watermark.Embed(key, 12345, joined(t, consentSpeaker, 5, 10))

		for name, data := range map[string][]byte{
			"silence":     encode(t, silence, audio.FormatWAV),
			"noise":       encode(t, noise, audio.FormatWAV),
			"watermarked": encode(t, marked, audio.FormatWAV),
		} {
			_, err := cf.answer(t, data)
			if app.ErrorCode(err) != app.EConsentRefused {
				t.Fatalf("%s: %v, want consent_refused", name, err)
			}
			if !strings.Contains(app.ErrorMessage(err), "Ask for a new phrase") {
				t.Errorf("%s: message %q does not say what to do", name, app.ErrorMessage(err))
			}
			if name == "watermarked" && !strings.Contains(app.ErrorMessage(err), "watermark") {
				t.Errorf("watermarked recording refused as %q", app.ErrorMessage(err))
			}
		}

		// The right voice reading other words.
		cf.cfg.ConsentChallenge = nil
		wrong := cf.service(t, voice.New(voice.Config{}))
		c, err := wrong.IssueConsent(t.Context(), cf.user.ID)
		must(t, err)
		got, err := wrong.VerifyConsent(t.Context(), cf.user.ID, c.ID, bytes.NewReader(cf.reading))
		if app.ErrorCode(err) != app.EConsentRefused {
			t.Fatalf("reading %q for the phrase %q: %+v, %v", cf.transcript, c.Phrase(), got, err)
		}
		if !strings.Contains(app.ErrorMessage(err), "does not say the phrase") {
			t.Errorf("wrong words refused as %q", app.ErrorMessage(err))
		}

		// Single use: even a refused answer uses the challenge up.
		_, err = cf.svc.VerifyConsent(t.Context(), cf.user.ID, c.ID, bytes.NewReader(cf.reading))
		wantCode(t, err, app.EConflict)

		// Expired.
		c, err = cf.svc.IssueConsent(t.Context(), cf.user.ID)
		must(t, err)
		cf.clock.Advance(consent.ChallengeTTL)
		_, err = cf.svc.VerifyConsent(t.Context(), cf.user.ID, c.ID, bytes.NewReader(cf.reading))
		wantCode(t, err, app.EConflict)
		if !strings.Contains(app.ErrorMessage(err), "expired") {
			t.Errorf("expired challenge refused as %q", app.ErrorMessage(err))
		}

		// Expired while its recording was being uploaded: told so, not
		// that the phrase was used.
		c, err = cf.svc.IssueConsent(t.Context(), cf.user.ID)
		must(t, err)
		slow := &advancingReader{r: bytes.NewReader(cf.reading), advance: func() { cf.clock.Advance(consent.ChallengeTTL) }}
		_, err = cf.svc.VerifyConsent(t.Context(), cf.user.ID, c.ID, slow)
		wantCode(t, err, app.EConflict)
		if msg := app.ErrorMessage(err); !strings.Contains(msg, "expired") || strings.Contains(msg, "used") {
			t.Errorf("challenge expired during its upload refused as %q", msg)
		}

		// Another user's challenge does not exist for them.
		c, err = cf.svc.IssueConsent(t.Context(), cf.user.ID)
		must(t, err)
		bob, _ := cf.register(t, "bob@example.com")
		_, err = cf.svc.VerifyConsent(t.Context(), bob.ID, c.ID, bytes.NewReader(cf.reading))
		wantCode(t, err, app.ENotFound)
		// …and it is still open for its owner.
		_, err = cf.svc.VerifyConsent(t.Context(), cf.user.ID, c.ID, bytes.NewReader(cf.reading))
		must(t, err)

		page, err := cf.svc.ListAudit(t.Context(), cf.user.ID, 100, "")
		must(t, err)
		refused := 0
		for _, e := range page.Items {
			if e.Kind == app.AuditConsentRefused {
				refused++
			}
		}
		if refused != 4 {
			t.Errorf("%d consent.refused events, want 4", refused)
		}
	})
}

// advancingReader calls advance once, when it is first read: time passing
// while an upload arrives.
type advancingReader struct {
	r       io.Reader
	advance func()
}

func (a *advancingReader) Read(p []byte) (int, error) {
	if a.advance != nil {
		a.advance()
		a.advance = nil
	}
	return a.r.Read(p)
}
