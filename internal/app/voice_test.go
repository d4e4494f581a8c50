package app_test

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// voiceFixture is a fixture with alice's uploaded sample and ready model.
type voiceFixture struct {
	*fixture
	alice, bob app.User
	sample     app.Sample
	model      app.Model
}

func newVoiceFixture(t *testing.T, b backend, wav []byte) *voiceFixture {
	t.Helper()
	f := &voiceFixture{fixture: newFixture(t, b.open(t), voice.New(voice.Config{}))}
	f.alice, _ = f.register(t, "alice@example.com")
	f.bob, _ = f.register(t, "bob@example.com")
	var err error
	f.sample, err = f.svc.UploadSample(t.Context(), f.alice.ID, app.UploadInput{Name: "read", Data: bytes.NewReader(wav)})
	must(t, err)
	pending, err := f.svc.CreateModel(t.Context(), f.alice.ID, app.CreateModelInput{Name: "My voice", Description: "test",
		SampleIDs: []string{f.sample.ID, " " + f.sample.ID}})
	must(t, err)
	if pending.Status != app.ModelPending {
		t.Fatalf("CreateModel = %+v, want pending", pending)
	}
	f.model = f.build(t, pending.ID)
	return f
}

func TestVoiceFlow(t *testing.T) {
	wav := speechWAV(t, "rms")
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newVoiceFixture(t, b, wav)
		ctx := t.Context()
		m := f.model
		if m.Status != app.ModelReady || m.ProfileBytes <= 0 || m.Engine == "" || len(m.SampleIDs) != 1 || m.Name != "My voice" {
			t.Fatalf("CreateModel = %+v", m)
		}
		if got, err := f.svc.GetModel(ctx, f.alice.ID, m.ID); err != nil || got.ID != m.ID || got.ProfileBytes != m.ProfileBytes {
			t.Errorf("GetModel = %+v, %v", got, err)
		}

		syn, audioBytes, err := f.svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID,
			Text: "Hello there. This is a short test of the cloned voice."})
		must(t, err)
		pcm := mustDecode(t, audioBytes)
		if syn.Format != "wav" || syn.Speed != 1 || syn.SizeBytes != int64(len(audioBytes)) ||
			pcm.Seconds() < 1.5 || pcm.Seconds() > 12 || abs(pcm.Seconds()-syn.DurationSeconds) > 0.05 {
			t.Errorf("Synthesize = %+v, decoded %.2f s", syn, pcm.Seconds())
		}
		f.clock.Advance(time.Second)
		likeness := 0.3
		syn2, mp3, err := f.svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Second one.",
			Format: "mp3", SampleRate: 22050, Speed: 1.5, Similarity: &likeness})
		must(t, err)
		if p := mustDecode(t, mp3); syn2.Format != "mp3" || syn2.SampleRate != 22050 || p.Rate != 22050 {
			t.Errorf("mp3 synthesis = %+v, decoded rate %d", syn2, p.Rate)
		}
		f.clock.Advance(time.Second)
		syn3, _, err := f.svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Third.", Format: "flac"})
		must(t, err)

		t.Run("History", func(t *testing.T) {
			p1, err := f.svc.ListHistory(ctx, f.alice.ID, 2, "")
			must(t, err)
			if len(p1.Items) != 2 || p1.Items[0].ID != syn3.ID || p1.Items[1].ID != syn2.ID || p1.NextCursor == "" {
				t.Fatalf("page 1 = %+v", p1)
			}
			p2, err := f.svc.ListHistory(ctx, f.alice.ID, 2, p1.NextCursor)
			must(t, err)
			if len(p2.Items) != 1 || p2.Items[0].ID != syn.ID || p2.NextCursor != "" {
				t.Fatalf("page 2 = %+v", p2)
			}
			// The history records the similarity each entry used: the
			// default filled in when none was asked for.
			for _, c := range []struct {
				got  *float64
				want float64
			}{{p1.Items[0].Similarity, voice.DefaultSimilarity}, {p1.Items[1].Similarity, 0.3},
				{p2.Items[0].Similarity, voice.DefaultSimilarity}} {
				if c.got == nil || *c.got != c.want {
					t.Errorf("history similarity = %v, want %v", fmtPtr(c.got), c.want)
				}
			}
			_, err = f.svc.ListHistory(ctx, f.alice.ID, 2, "not-a-cursor")
			wantCode(t, err, app.EInvalid)
			got, rc, err := f.svc.OpenHistoryAudio(ctx, f.alice.ID, syn.ID)
			must(t, err)
			data, _ := io.ReadAll(rc)
			rc.Close()
			if got.ID != syn.ID || !bytes.Equal(data, audioBytes) {
				t.Errorf("OpenHistoryAudio returned %d bytes, want the %d synthesized", len(data), len(audioBytes))
			}
			entry, err := f.svc.GetSynthesis(ctx, f.alice.ID, syn.ID)
			must(t, err)
			if entry.ID != syn.ID || entry.Text != syn.Text || !entry.CreatedAt.Equal(syn.CreatedAt) {
				t.Errorf("GetSynthesis = %+v, want %+v", entry, syn)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			sim := 1.5
			for _, in := range []app.SynthesizeInput{
				{Text: ""}, {Text: "   "}, {Text: "hi", Speed: 2.5},
				{Text: "hi", Speed: 0.4}, {Text: "hi", Pitch: 13}, {Text: "hi", Pitch: -12.5},
				{Text: "hi", Similarity: &sim}, {Text: "hi", SampleRate: 7999}, {Text: "hi", SampleRate: 96000},
				{Text: "hi", Format: "xyz"},
			} {
				in.ModelID = m.ID
				_, _, err := f.svc.Synthesize(ctx, f.alice.ID, in)
				wantCode(t, err, app.EInvalid)
			}
			// Over the length limit is 413, naming the limit.
			_, _, err := f.svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: strings.Repeat("ä", 5001)})
			wantCode(t, err, app.ETooLarge)
			if !strings.Contains(err.Error(), "5000") {
				t.Errorf("message %q does not name the limit", err)
			}
		})
		t.Run("Update", func(t *testing.T) {
			name, empty := " Renamed ", " "
			got, err := f.svc.UpdateModel(ctx, f.alice.ID, m.ID, app.ModelUpdate{Name: &name})
			must(t, err)
			if got.Name != "Renamed" || got.Description != "test" {
				t.Errorf("UpdateModel = %+v", got)
			}
			_, err = f.svc.UpdateModel(ctx, f.alice.ID, m.ID, app.ModelUpdate{Name: &empty})
			wantCode(t, err, app.EInvalid)
		})
		t.Run("Summary", func(t *testing.T) { testSummary(t, f) })
		t.Run("Isolation", func(t *testing.T) { testIsolation(t, f, syn) })
		t.Run("SampleDeleteKeepsModel", func(t *testing.T) {
			must(t, f.svc.DeleteSample(ctx, f.alice.ID, f.sample.ID))
			// A fresh Service has no cached profile: it must come from storage.
			svc := f.service(t, voice.New(voice.Config{}))
			if _, _, err := svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Still here."}); err != nil {
				t.Fatalf("model unusable after its sample was deleted: %v", err)
			}
		})
		t.Run("DeleteModel", func(t *testing.T) {
			must(t, f.svc.DeleteModel(ctx, f.alice.ID, m.ID))
			for _, key := range []string{m.ProfileKey, syn.AudioKey, syn2.AudioKey} {
				_, err := f.blobs.Open(ctx, key)
				wantCode(t, err, app.ENotFound)
			}
			if p, err := f.svc.ListHistory(ctx, f.alice.ID, 0, ""); err != nil || len(p.Items) != 0 {
				t.Errorf("history after model delete: %d items, %v; want none", len(p.Items), err)
			}
			_, _, err := f.svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Gone?"})
			wantCode(t, err, app.ENotFound)
		})
	})
}

func fmtPtr(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

// testIsolation checks that bob can neither see nor change alice's things.
func testIsolation(t *testing.T, f *voiceFixture, syn app.Synthesis) {
	ctx, bob, m := t.Context(), f.bob.ID, f.model
	name := "stolen"
	_, err := f.svc.GetModel(ctx, bob, m.ID)
	wantCode(t, err, app.ENotFound)
	_, err = f.svc.UpdateModel(ctx, bob, m.ID, app.ModelUpdate{Name: &name})
	wantCode(t, err, app.ENotFound)
	wantCode(t, f.svc.DeleteModel(ctx, bob, m.ID), app.ENotFound)
	_, _, err = f.svc.Synthesize(ctx, bob, app.SynthesizeInput{ModelID: m.ID, Text: "hi"})
	wantCode(t, err, app.ENotFound)
	_, err = f.svc.ModelSummary(ctx, bob, m.ID)
	wantCode(t, err, app.ENotFound)
	_, err = f.svc.CreateModel(ctx, bob, app.CreateModelInput{Name: "x", SampleIDs: []string{f.sample.ID}})
	wantCode(t, err, app.ENotFound)
	_, _, err = f.svc.OpenHistoryAudio(ctx, bob, syn.ID)
	wantCode(t, err, app.ENotFound)
	_, err = f.svc.GetSynthesis(ctx, bob, syn.ID)
	wantCode(t, err, app.ENotFound)
	wantCode(t, f.svc.DeleteSample(ctx, bob, f.sample.ID), app.ENotFound)
	if ms, err := f.svc.ListModels(ctx, bob); err != nil || len(ms) != 0 {
		t.Errorf("bob's ListModels = %d models, %v; want none", len(ms), err)
	}
	if p, err := f.svc.ListHistory(ctx, bob, 0, ""); err != nil || len(p.Items) != 0 {
		t.Errorf("bob's ListHistory = %d items, %v; want none", len(p.Items), err)
	}
	got, err := f.svc.GetModel(ctx, f.alice.ID, m.ID)
	if err != nil || got.Name == name {
		t.Errorf("alice's model after bob's attempts: %+v, %v", got, err)
	}
}

// testSummary checks that the service describes the profile it stored,
// whether or not the profile is cached, and that damaged profile bytes are
// a clear refusal rather than an internal error.
func testSummary(t *testing.T, f *voiceFixture) {
	ctx, m := t.Context(), f.model
	got, err := f.svc.ModelSummary(ctx, f.alice.ID, m.ID)
	must(t, err)
	// Uploaded without a transcript, so the pool is labelled by recognition
	// and the hints say to give one.
	if got.Pitch.MedianHz < 60 || got.Pitch.MedianHz > 400 || got.SpeechSeconds < 10 || got.Pool == nil ||
		got.Pool.PhonesTotal != 39 || got.Pool.PhonesCovered == 0 || !slices.ContainsFunc(got.Hints, func(h string) bool {
		return strings.Contains(h, "transcript")
	}) {
		t.Fatalf("ModelSummary = %+v, pool %+v", got, got.Pool)
	}
	rc, err := f.blobs.Open(ctx, m.ProfileKey)
	must(t, err)
	b, err := io.ReadAll(rc)
	rc.Close()
	must(t, err)
	var p voice.Profile
	must(t, p.UnmarshalBinary(b))
	fresh, err := f.service(t, noEngine{}).ModelSummary(ctx, f.alice.ID, m.ID)
	must(t, err)
	if want := p.Summary(); !reflect.DeepEqual(got, want) || !reflect.DeepEqual(fresh, want) {
		t.Errorf("ModelSummary = %+v,\nuncached %+v,\nwant the stored profile's %+v", got, fresh, want)
	}

	bad := m
	bad.ID = app.NewID()
	bad.ProfileKey = "profiles/" + bad.ID + ".vxp"
	_, err = f.blobs.Put(ctx, bad.ProfileKey, bytes.NewReader(append([]byte("VXCP"), make([]byte, 20)...)))
	must(t, err)
	must(t, f.store.CreateModel(ctx, bad, nil))
	_, err = f.svc.ModelSummary(ctx, f.alice.ID, bad.ID)
	wantCode(t, err, app.EUnprocessable)
	must(t, f.svc.DeleteModel(ctx, f.alice.ID, bad.ID))
}

// cloneFails is the real engine with cloning broken, as when the engine
// finds too little voiced speech.
type cloneFails struct{ *voice.Engine }

func (cloneFails) Clone(context.Context, []voice.Reference) ([]byte, error) {
	return nil, voice.ErrNoSpeech
}

func TestCreateModelFailed(t *testing.T) {
	wav := speechWAV(t, "slt")
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), cloneFails{voice.New(voice.Config{})})
		ctx := t.Context()
		alice, _ := f.register(t, "alice@example.com")
		smp, err := f.svc.UploadSample(ctx, alice.ID, app.UploadInput{Data: bytes.NewReader(wav)})
		must(t, err)
		pending, err := f.svc.CreateModel(ctx, alice.ID, app.CreateModelInput{SampleIDs: []string{smp.ID}})
		must(t, err)
		m := f.build(t, pending.ID)
		if m.Status != app.ModelFailed || !strings.Contains(m.Failure, "not enough speech") || m.ProfileKey != "" ||
			!strings.HasPrefix(m.Name, "Voice ") {
			t.Fatalf("failed clone = %+v", m)
		}
		_, _, err = f.svc.Synthesize(ctx, alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "hi"})
		wantCode(t, err, app.EUnprocessable)
		_, err = f.svc.ModelSummary(ctx, alice.ID, m.ID)
		wantCode(t, err, app.EUnprocessable)
		for _, ids := range [][]string{nil, {" "}, make([]string, 21)} {
			for i := range ids {
				if ids[i] == "" && len(ids) > 1 {
					ids[i] = app.NewID()
				}
			}
			_, err := f.svc.CreateModel(ctx, alice.ID, app.CreateModelInput{SampleIDs: ids})
			wantCode(t, err, app.EInvalid)
		}
		_, err = f.svc.CreateModel(ctx, alice.ID, app.CreateModelInput{SampleIDs: []string{smp.ID, app.NewID()}})
		wantCode(t, err, app.ENotFound)
		must(t, f.svc.DeleteModel(ctx, alice.ID, m.ID))

		// Too much audio in total is refused before anything is decoded.
		long := smp
		long.ID, long.DurationSeconds = app.NewID(), app.MaxModelAudioSeconds
		long.BlobKey = "samples/" + long.ID + ".wav"
		must(t, f.store.CreateSample(ctx, long))
		_, err = f.svc.CreateModel(ctx, alice.ID, app.CreateModelInput{SampleIDs: []string{smp.ID, long.ID}})
		wantCode(t, err, app.EInvalid)
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
