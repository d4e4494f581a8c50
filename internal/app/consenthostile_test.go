package app_test

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice"
)

// TestConsentHostileRecordings: recordings a hostile client might send as
// a consent answer are refused with a client error, never a server error,
// and never verified.
func TestConsentHostileRecordings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		cf := newConsentFixture(t, b)
		reading := speechtest.Load(t, speechtest.WAVs(t, consentSpeaker)[consentReading])
		loud := &audio.PCM{Rate: reading.Rate, Channels: 1, Samples: append([]float32(nil), reading.Samples...)}
		for i := range loud.Samples {
			if i%97 == 0 {
				loud.Samples[i] = math.MaxFloat32
			}
		}
		wide := &audio.PCM{Rate: 16000, Channels: 16, Samples: make([]float32, 16*16000*3)}
		cases := map[string][]byte{
			"one frame":         wavOf(t, &audio.PCM{Rate: 16000, Channels: 1, Samples: []float32{0.5}}, wav.PCM16),
			"8 Hz":              wavOf(t, &audio.PCM{Rate: 8, Channels: 1, Samples: make([]float32, 8*50)}, wav.PCM16),
			"768 kHz":           wavOf(t, &audio.PCM{Rate: 768000, Channels: 1, Samples: make([]float32, 768000*3)}, wav.PCM16),
			"16 channels":       wavOf(t, wide, wav.PCM16),
			"huge floats":       wavOf(t, loud, wav.Float32),
			"header only":       wavOf(t, &audio.PCM{Rate: 16000, Channels: 1}, wav.PCM16),
			"garbage MP3":       speechtest.GarbageMP3(1<<20, 7),
			"10 min of silence": speechtest.SilentMP3(600),
			"not audio":         []byte("<html>hello</html>"),
		}
		for name, data := range cases {
			// An answer refused before it is decoded leaves its phrase
			// open; let it expire so the open ones stay under the bound.
			cf.clock.Advance(consent.ChallengeTTL)
			c, err := cf.answer(t, data)
			if code := app.ErrorCode(err); code == "" || code == app.EInternal {
				t.Errorf("%s: %+v, %v; want a client error", name, c, err)
			} else {
				t.Logf("%s: %s: %s", name, code, app.ErrorMessage(err))
			}
		}
	})
}

func wavOf(t *testing.T, p *audio.PCM, enc wav.Encoding) []byte {
	t.Helper()
	var buf bytes.Buffer
	must(t, wav.Encode(&buf, p, enc))
	return buf.Bytes()
}

// TestConsentEngineBounds: checking a consent recording and checking a
// clone's samples against the consent are engine work, bounded like an
// upload's: with the only engine slot taken both are EUnavailable, and an
// answer refused so is not used up. A consent_mismatch keeps its clone
// charge (the samples were compared, and the consent stays usable, so
// repeating it must not be free).
func TestConsentEngineBounds(t *testing.T) {
	cf := newConsentFixture(t, backend{name: "sqlite", open: func(t *testing.T) app.Store { return sqliteStore(t) }})
	gate := admission.New(admission.Config{Slots: 1, MaxWaiting: -1, MaxWait: 10 * time.Millisecond})
	cf.cfg.Admission = gate
	cf.svc = cf.service(t, voice.New(voice.Config{}))
	ctx := t.Context()
	own := cf.upload(t, joined(t, consentSpeaker, firstSampleIndex, 6))
	other := cf.upload(t, joined(t, otherSpeaker, 0, 4))

	release, err := gate.Acquire(ctx)
	must(t, err)
	c, err := cf.svc.IssueConsent(ctx, cf.user.ID)
	must(t, err)
	_, err = cf.svc.VerifyConsent(ctx, cf.user.ID, c.ID, bytes.NewReader(cf.reading))
	wantCode(t, err, app.EUnavailable)
	release()
	_, err = cf.svc.VerifyConsent(ctx, cf.user.ID, c.ID, bytes.NewReader(cf.reading))
	must(t, err) // the busy answer did not use the phrase up

	release, err = gate.Acquire(ctx)
	must(t, err)
	wantCode(t, cf.clone(t, own), app.EUnavailable)
	release()

	b, err := cf.svc.NewBudget(cf.user.ID, app.ActionClone, nil)
	must(t, err)
	_, err = cf.svc.CreateModel(app.WithBudget(ctx, b), cf.user.ID, app.CreateModelInput{SampleIDs: []string{own, other}})
	wantCode(t, err, app.EConsentMismatch)
	if b.Refund(ctx) {
		t.Error("a consent_mismatch gave its clone charge back")
	}
	if gate.InUse() != 0 {
		t.Errorf("%d engine slots held after the consent checks", gate.InUse())
	}
	must(t, cf.clone(t, own)) // the consent is still usable
}
