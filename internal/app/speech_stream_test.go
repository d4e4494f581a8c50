package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
	"github.com/voxclone/voxclone/internal/voice"
)

const threeSentences = "Hello there, Dr. Smith. It is 3:45 pm on 2024-03-15.\n\nThe meeting costs $12.50, see you soon!"

func TestStreamBuiltinVoice(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), voice.New(voice.Config{}))
		alice, _ := f.register(t, "alice@example.com")
		ctx := t.Context()
		sp, st, err := f.svc.StartSpeech(ctx, alice.ID, app.SynthesizeInput{Voice: "SLT", Text: "  " + threeSentences + " ", Format: "mp3"})
		must(t, err)
		pre := sp.Synthesis()
		if pre.Voice != "slt" || pre.ModelID != "" || pre.Format != "mp3" || pre.SampleRate != voice.OutputRate ||
			sp.ContentType() != "audio/mpeg" || pre.Similarity != nil || st.Limit != 20 || st.Remaining != 19 {
			t.Errorf("StartSpeech = %+v, %s, %+v", pre, sp.ContentType(), st)
		}
		var out bytes.Buffer
		var parts []app.SpeechPart
		syn, err := sp.Stream(ctx, &out, func(p app.SpeechPart) { parts = append(parts, p) })
		must(t, err)
		if syn.ID != pre.ID || syn.SizeBytes != int64(out.Len()) || syn.DurationSeconds < 4 {
			t.Errorf("Stream = %+v for %d bytes", syn, out.Len())
		}
		checkParts(t, threeSentences, parts, syn.DurationSeconds)
		pcm, format, err := codec.Decode(ctx, out.Bytes())
		if err != nil || format != "mp3" || pcm.Seconds() < syn.DurationSeconds-0.1 {
			t.Errorf("decoded %v, %s, %v", pcm, format, err)
		}
		got, rc, err := f.svc.OpenHistoryAudio(ctx, alice.ID, syn.ID)
		must(t, err)
		stored, _ := io.ReadAll(rc)
		rc.Close()
		if got.Voice != "slt" || got.Text != threeSentences || !bytes.Equal(stored, out.Bytes()) {
			t.Errorf("history %+v with %d bytes, want the %d streamed", got, len(stored), out.Len())
		}
		if _, err := sp.Stream(ctx, io.Discard, nil); err == nil {
			t.Error("a second Stream of the same speech worked")
		}
	})
}

// checkParts: the parts follow one another in time and text, cover both,
// and their words lie inside them.
func checkParts(t *testing.T, text string, parts []app.SpeechPart, dur float64) {
	t.Helper()
	var joined strings.Builder
	at, chars := 0.0, 0
	runes := []rune(text)
	for i, p := range parts {
		if abs(p.Start-at) > 1e-9 || p.End <= p.Start || p.TextStart != chars {
			t.Errorf("part %d spans %.3f–%.3f and text from %d, want from %.3f and %d", i, p.Start, p.End, p.TextStart, at, chars)
		}
		for _, w := range p.Words {
			if w.Start < p.Start || w.End > p.End || w.End < w.Start || string(runes[w.Offset:w.Offset+w.Length]) != w.Text {
				t.Errorf("word %+v outside part %d (%.3f–%.3f) or not at its offset", w, i, p.Start, p.End)
			}
		}
		joined.WriteString(p.Text)
		at, chars = p.End, chars+len([]rune(p.Text))
	}
	if joined.String() != text || abs(at-dur) > 1e-6 {
		t.Errorf("parts cover %q and %.3f s, want the text and %.3f s", joined.String(), at, dur)
	}
	// Character timings of the parts cover the text on one timeline.
	var all app.Alignment
	for _, p := range parts {
		all.Append(app.AlignCharacters(p))
	}
	if strings.Join(all.Characters, "") != text || all.End[len(all.End)-1] != dur {
		t.Errorf("character alignment covers %q until %.3f s", strings.Join(all.Characters, ""), all.End[len(all.End)-1])
	}
	for i := 1; i < len(all.Start); i++ {
		if all.Start[i] < all.End[i-1]-1e-9 || all.End[i] < all.Start[i] {
			t.Fatalf("character %d (%q) at %.3f–%.3f after %.3f", i, all.Characters[i], all.Start[i], all.End[i], all.End[i-1])
		}
	}
}

func TestStartSpeechErrors(t *testing.T) {
	f := newFixture(t, sqliteStore(t), voice.New(voice.Config{}))
	alice, _ := f.register(t, "alice@example.com")
	bob, _ := f.register(t, "bob@example.com")
	ctx := t.Context()
	bobs := app.Model{ID: app.NewID(), UserID: bob.ID, Name: "Bob", Status: app.ModelReady, Engine: "e",
		ProfileKey: "profiles/x.vxp", CreatedAt: time.Now(), UpdatedAt: time.Now(), SampleIDs: []string{}}
	failed := app.Model{ID: app.NewID(), UserID: alice.ID, Name: "Broken", Status: app.ModelFailed, Failure: "too little speech",
		Engine: "e", CreatedAt: time.Now(), UpdatedAt: time.Now(), SampleIDs: []string{}}
	must(t, f.store.CreateModel(ctx, bobs, nil))
	must(t, f.store.CreateModel(ctx, failed, nil))
	half := 0.5
	for _, tc := range []struct {
		in   app.SynthesizeInput
		code string
	}{
		{app.SynthesizeInput{Text: "Hi."}, app.EInvalid},
		{app.SynthesizeInput{Voice: "slt", ModelID: failed.ID, Text: "Hi."}, app.EInvalid},
		{app.SynthesizeInput{Voice: "slt", Text: "Hi.", Pitch: 2}, app.EInvalid},
		{app.SynthesizeInput{Voice: "slt", Text: "Hi.", Similarity: &half}, app.EInvalid},
		{app.SynthesizeInput{Voice: "slt", Text: "Hi.", Format: "wma"}, app.EInvalid},
		{app.SynthesizeInput{Voice: "slt", Text: " ... "}, app.EInvalid},
		{app.SynthesizeInput{Voice: "kal16", Text: "Hi."}, app.ENotFound},
		{app.SynthesizeInput{ModelID: bobs.ID, Text: "Hi."}, app.ENotFound},
		{app.SynthesizeInput{ModelID: failed.ID, Text: "Hi."}, app.EUnprocessable},
		{app.SynthesizeInput{Voice: "slt", Text: "我们明天在公园见面吧。"}, app.EUnprocessable},
		{app.SynthesizeInput{Voice: "slt", Text: strings.Repeat("word ", 20_001)}, app.ETooLarge},
	} {
		_, st, err := f.svc.StartSpeech(ctx, alice.ID, tc.in)
		if app.ErrorCode(err) != tc.code || st != (app.RateStatus{}) {
			t.Errorf("StartSpeech(%+.40v) = %v, %+v; want %s and no budget spent", tc.in, err, st, tc.code)
		}
	}
	_, _, err := f.svc.StartSpeech(ctx, alice.ID, app.SynthesizeInput{Voice: "slt", Text: strings.Repeat("word ", 20_001)})
	if !strings.Contains(err.Error(), "100000") {
		t.Errorf("413 message %q does not name the limit", err)
	}
	// Only valid requests count: the whole budget is still there.
	limited := f.serviceWith(t, app.Config{RateLimit: app.Rate{Count: 2, Window: time.Hour}})
	for i := range 3 {
		_, st, err := limited.StartSpeech(ctx, alice.ID, app.SynthesizeInput{Voice: "rms", Text: "Hi."})
		switch {
		case i < 2 && (err != nil || st.Remaining != 1-i):
			t.Errorf("request %d: %v, %+v", i+1, err, st)
		case i == 2 && (app.ErrorCode(err) != app.ERateLimited || st.Limit != 2 || st.Reset <= 0):
			t.Errorf("request 3 over a budget of 2: %v, %+v", err, st)
		}
	}
}

// TestStreamStops: a listener that goes away, or a cancelled context,
// stops the stream with no history entry and no stored audio left.
func TestStreamStops(t *testing.T) {
	f := newFixture(t, sqliteStore(t), voice.New(voice.Config{}))
	alice, _ := f.register(t, "alice@example.com")
	text := strings.Repeat("This sentence only makes the text long enough to take a while. ", 30)
	start := func() *app.Speech {
		sp, _, err := f.svc.StartSpeech(t.Context(), alice.ID, app.SynthesizeInput{Voice: "slt", Text: text, Format: "opus"})
		must(t, err)
		return sp
	}
	gone := errors.New("listener gone")
	began := time.Now()
	if _, err := start().Stream(t.Context(), &failAfter{n: 2000, err: gone}, nil); !errors.Is(err, gone) {
		t.Errorf("failed writer: Stream = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	parts := 0
	_, err := start().Stream(ctx, io.Discard, func(app.SpeechPart) {
		if parts++; parts == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: Stream = %v", err)
	}
	if d := time.Since(began); d > 20*time.Second {
		t.Errorf("stopping took %v", d)
	}
	if p, _ := f.svc.ListHistory(t.Context(), alice.ID, 0, ""); len(p.Items) != 0 {
		t.Errorf("%d history entries after stopped streams", len(p.Items))
	}
	if files := blobFiles(t, f.blobDir, "audio"); len(files) != 0 {
		t.Errorf("audio left in storage: %v", files)
	}
}

type failAfter struct {
	n   int
	err error
}

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, w.err
	}
	return len(p), nil
}

func blobFiles(t *testing.T, root, kind string) []string {
	var out []string
	filepath.WalkDir(filepath.Join(root, kind), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

func TestSynthesizeBuiltinVoice(t *testing.T) {
	f := newFixture(t, sqliteStore(t), voice.New(voice.Config{}))
	alice, _ := f.register(t, "alice@example.com")
	syn, data, err := f.svc.Synthesize(t.Context(), alice.ID, app.SynthesizeInput{Voice: "awb", Text: threeSentences})
	must(t, err)
	pcm, _, err := codec.Decode(t.Context(), data)
	must(t, err)
	// A complete WAV file: its header states the length.
	if string(data[:4]) != "RIFF" || string(data[4:8]) == "\xff\xff\xff\xff" || abs(pcm.Seconds()-syn.DurationSeconds) > 0.01 || syn.Voice != "awb" {
		t.Errorf("Synthesize = %+v, %d bytes decoding to %.2f s", syn, len(data), pcm.Seconds())
	}
	_, _, err = f.svc.Synthesize(t.Context(), alice.ID, app.SynthesizeInput{Voice: "awb", Text: strings.Repeat("a ", 2501)})
	wantCode(t, err, app.ETooLarge)
}

func TestResolveVoice(t *testing.T) {
	f := newFixture(t, sqliteStore(t), noEngine{})
	alice, _ := f.register(t, "alice@example.com")
	bob, _ := f.register(t, "bob@example.com")
	ctx := t.Context()
	mk := func(u app.User, name string, status string, age time.Duration) app.Model {
		m := app.Model{ID: app.NewID(), UserID: u.ID, Name: name, Status: status, Engine: "e",
			CreatedAt: time.Now().Add(-age), UpdatedAt: time.Now(), SampleIDs: []string{}}
		must(t, f.store.CreateModel(ctx, m, nil))
		return m
	}
	oldReady := mk(alice, "Narrator", app.ModelReady, 2*time.Hour)
	mk(alice, "Narrator", app.ModelFailed, time.Hour)
	onlyFailed := mk(alice, "Broken", app.ModelFailed, time.Hour)
	bobs := mk(bob, "Bob's", app.ModelReady, time.Hour)
	for _, tc := range []struct {
		ref  string
		want app.VoiceRef
		code string
	}{
		{oldReady.ID, app.VoiceRef{ModelID: oldReady.ID}, ""},
		{"Narrator", app.VoiceRef{ModelID: oldReady.ID}, ""},
		{"Broken", app.VoiceRef{ModelID: onlyFailed.ID}, ""},
		{"rms", app.VoiceRef{Voice: "rms"}, ""},
		{" AWB ", app.VoiceRef{Voice: "awb"}, ""},
		{"narrator", app.VoiceRef{}, app.ENotFound},
		{bobs.ID, app.VoiceRef{}, app.ENotFound},
		{"Bob's", app.VoiceRef{}, app.ENotFound},
		{"", app.VoiceRef{}, app.EInvalid},
	} {
		got, err := f.svc.ResolveVoice(ctx, alice.ID, tc.ref)
		if app.ErrorCode(err) != tc.code || got != tc.want {
			t.Errorf("ResolveVoice(%q) = %+v, %v; want %+v, %q", tc.ref, got, err, tc.want, tc.code)
		}
	}
	if vs := f.svc.BuiltinVoices(); len(vs) != 3 || vs[0].ID != "slt" || vs[0].Description == "" {
		t.Errorf("BuiltinVoices = %+v", vs)
	}
}

// sqliteStore is a fresh, migrated SQLite store, for tests that need only
// one backend.
func sqliteStore(t *testing.T) app.Store {
	t.Helper()
	db := sqlitetest.Open(t, filepath.Join(t.TempDir(), "voxclone.db"))
	return db
}

// serviceWith is a Service on the fixture's dependencies and engine with
// the rate limit of cfg.
func (f *fixture) serviceWith(t *testing.T, cfg app.Config) *app.Service {
	t.Helper()
	c := f.cfg
	c.RateLimit = cfg.RateLimit
	svc, err := app.NewService(c, app.Deps{Store: f.store, Blobs: f.blobs, Engine: voice.New(voice.Config{}), Queue: f.queue})
	must(t, err)
	return svc
}
