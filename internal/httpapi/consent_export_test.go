package httpapi_test

import (
	"bytes"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// consentReading is a real recording and its transcript: the challenge is
// set to the transcript, so that reading passes the word check. It is the
// reading internal/app's consent tests use.
func consentReading(t *testing.T) (wav []byte, transcript string) {
	t.Helper()
	path := speechtest.WAVs(t, "vctk_p225")[2]
	wav, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return wav, speechtest.Transcript(path)
}

// exportedConsent is a challenge as consents.json holds it.
type exportedConsent struct {
	ID         string     `json:"id"`
	Phrase     string     `json:"phrase"`
	Words      []string   `json:"words"`
	CreatedAt  time.Time  `json:"created_at"`
	AnsweredAt *time.Time `json:"answered_at"`
	VerifiedAt *time.Time `json:"verified_at"`
	VoicePrint []byte     `json:"voice_print"`
}

// TestConsentExportAndAudit answers one challenge with a real reading of
// it (verified) and one with silence (refused), beside a bystander with a
// challenge of their own: the audit log shows the issue, the verification
// and the refusal with its reason; the export holds both challenges, the
// verified one with its voice print, and nothing of the bystander's; the
// account's deletion takes the challenges with it.
func TestConsentExportAndAudit(t *testing.T) {
	wav, transcript := consentReading(t)
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{consent: true, register: app.Rate{Count: 100, Window: time.Hour},
			challenge: func() consent.Challenge { return consent.Challenge{Words: strings.Fields(transcript)} }})
		b := newAccount(t, e, "bystander@example.com")
		var bc struct{ ID string }
		e.expect(e.do("POST", "/api/voice/consent", b.token, nil), 201, &bc)
		a := newAccount(t, e, "speaker@example.com")

		var verified, refused struct{ ID, Status string }
		e.expect(e.do("POST", "/api/voice/consent", a.token, nil), 201, &verified)
		e.expect(consentUpload(e, a.token, verified.ID, wav), 200, &verified)
		if verified.Status != "verified" {
			t.Fatalf("the reading of the phrase: status %q, want verified", verified.Status)
		}
		e.clock.Advance(time.Second)
		e.expect(e.do("POST", "/api/voice/consent", a.token, nil), 201, &refused)
		silence := append(wavHeader(16000, 16000*2*6), make([]byte, 16000*2*6)...)
		e.expectError(consentUpload(e, a.token, refused.ID, silence), 422, app.EConsentRefused)

		got := map[string]int{}
		for _, ev := range auditLog(t, e, a.token) {
			if strings.HasPrefix(ev.Kind, "consent.") {
				got[ev.Kind+" "+ev.Subject+" "+ev.Detail]++
			}
		}
		for _, k := range []string{
			app.AuditConsentIssued + " " + verified.ID + " ", app.AuditConsentVerified + " " + verified.ID + " ",
			app.AuditConsentIssued + " " + refused.ID + " ", app.AuditConsentRefused + " " + refused.ID + " no_speech",
		} {
			if got[k] != 1 {
				t.Errorf("%d audit events %q, want 1; log %v", got[k], k, got)
			}
		}
		if len(got) != 4 {
			t.Errorf("audit log %v, want these four consent events only", got)
		}

		resp := e.do("GET", "/api/auth/me/export", a.token, nil)
		raw, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("export: %d %v", resp.StatusCode, err)
		}
		if bytes.Contains(raw, []byte(bc.ID)) || bytes.Contains(raw, []byte(b.email)) {
			t.Errorf("the archive holds the bystander's consent challenge or email")
		}
		var consents []exportedConsent
		decodeFile(t, unzip(t, raw), "consents.json", &consents)
		if got := ids(consents, func(c exportedConsent) string { return c.ID }); !slices.Equal(got, []string{refused.ID, verified.ID}) {
			t.Fatalf("consents.json ids %v, want the refused then the verified challenge", got)
		}
		r, v := consents[0], consents[1]
		if r.AnsweredAt == nil || r.VerifiedAt != nil || len(r.VoicePrint) != 0 {
			t.Errorf("refused challenge exported as %+v", r)
		}
		if v.VerifiedAt == nil || len(v.VoicePrint) < 100 || !strings.HasSuffix(v.Phrase, transcript) || len(v.Words) == 0 {
			t.Errorf("verified challenge exported as %+v (voice print of %d bytes)", v, len(v.VoicePrint))
		}

		e.expect(e.do("DELETE", "/api/auth/me", a.token, map[string]string{"password": "correct horse battery"}), 204, nil)
		if n := userRows(t, store, a.id)["consent_challenges"]; n != 0 {
			t.Errorf("%d consent challenges left after the account's deletion", n)
		}
		if n := userRows(t, store, b.id)["consent_challenges"]; n != 1 {
			t.Errorf("the bystander has %d consent challenges after another account's deletion, want 1", n)
		}
	})
}

// consentSample is 25 s of the consentReading's speaker, other readings
// than the one that answers the phrase: a sample a consent matches.
func consentSample(t *testing.T) []byte {
	t.Helper()
	var out *audio.PCM
	for i, path := range speechtest.WAVs(t, "vctk_p225") {
		if i == 2 {
			continue
		}
		p := speechtest.Load(t, path)
		if out == nil {
			out = &audio.PCM{Rate: p.Rate, Channels: 1}
		}
		out.Samples = append(out.Samples, p.Samples...)
		if out.Seconds() >= 25 {
			break
		}
	}
	wav, err := encodeWAV(out)
	if err != nil {
		t.Fatal(err)
	}
	return wav
}

// TestConsentStatus: a challenge shows what became of it, so that its
// status never promises what the server then refuses: pending, then
// expired once its 10 minutes have passed unanswered (answering it is
// 409); verified, then used, naming the voice, once a voice is cloned
// under it (a second clone needs a new consent); verified and left
// unused for 24 hours, expired. They used to stay pending and verified.
func TestConsentStatus(t *testing.T) {
	wav, transcript := consentReading(t)
	sample := consentSample(t)
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{consent: true,
			challenge: func() consent.Challenge { return consent.Challenge{Words: strings.Fields(transcript)} }})
		a := newAccount(t, e, "status@example.com")
		type view struct {
			ID, Status string
			UsedFor    string `json:"used_for"`
		}
		status := func(id string) view {
			t.Helper()
			var v view
			e.expect(e.do("GET", "/api/voice/consent/"+id, a.apiKey, nil), 200, &v)
			return v
		}
		issue := func() string {
			t.Helper()
			var v view
			e.expect(e.do("POST", "/api/voice/consent", a.apiKey, nil), 201, &v)
			if v.Status != app.ConsentPending {
				t.Errorf("a new challenge: status %q, want pending", v.Status)
			}
			return v.ID
		}
		verify := func(id string) {
			t.Helper()
			var v view
			e.expect(consentUpload(e, a.apiKey, id, wav), 200, &v)
			if v.Status != app.ConsentVerified || status(id).Status != app.ConsentVerified {
				t.Fatalf("the reading of the phrase: status %q, want verified", v.Status)
			}
		}

		lapsed := issue()
		e.clock.Advance(10 * time.Minute)
		if got := status(lapsed); got.Status != app.ConsentExpired {
			t.Errorf("a challenge unanswered for 10 minutes: status %q, want expired", got.Status)
		}
		e.expectError(consentUpload(e, a.apiKey, lapsed, wav), 409, app.EConflict)

		used := issue()
		verify(used)
		var smp app.Sample
		e.expect(e.upload(a.apiKey, sample, "me.wav", nil), 201, &smp)
		clone := map[string]any{"name": "me", "sample_ids": []string{smp.ID}}
		var m app.Model
		e.expect(e.do("POST", "/api/voice/clone", a.apiKey, clone), 202, &m)
		if got := status(used); got.Status != app.ConsentUsed || got.UsedFor != m.ID {
			t.Errorf("the consent a voice was cloned under: %+v, want used for %s", got, m.ID)
		}

		unused := issue()
		verify(unused)
		e.clock.Advance(24*time.Hour + time.Second)
		if got := status(unused); got.Status != app.ConsentExpired {
			t.Errorf("a consent unused for 24 hours: status %q, want expired", got.Status)
		}
		e.expectError(e.do("POST", "/api/voice/clone", a.apiKey, clone), 403, app.EConsentRequired)
	})
}
