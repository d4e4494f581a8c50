package app_test

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
)

var sampleKey = regexp.MustCompile(`^samples/[0-9a-f]{32}\.wav$`)

func TestUploadSample(t *testing.T) {
	wav := speechWAV(t, "rms")
	short, _ := speech(t, "kal16", 2) // one sentence, about 5 s
	shortWAV := encode(t, &audio.PCM{Rate: short.Rate, Channels: 1, Samples: short.Samples[:min(len(short.Samples), 4*short.Rate)]}, audio.FormatWAV)
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), voice.New(voice.Config{}))
		ctx := t.Context()
		alice, _ := f.register(t, "alice@example.com")
		bob, _ := f.register(t, "bob@example.com")

		smp, err := f.svc.UploadSample(ctx, alice.ID, app.UploadInput{Name: "  Reading  ", Transcript: " words ", Data: bytes.NewReader(wav)})
		must(t, err)
		q := smp.Quality
		if smp.Name != "Reading" || smp.Transcript != "words" || smp.Format != "wav" || smp.SampleRate != 16000 ||
			smp.Channels != 1 || smp.SizeBytes != int64(len(wav)) || !sampleKey.MatchString(smp.BlobKey) ||
			smp.DurationSeconds < 25 || smp.DurationSeconds > 60 || q.SpeechSeconds < 10 || q.SpeechSeconds > smp.DurationSeconds ||
			q.Score <= 0 || q.Warnings == nil {
			t.Errorf("UploadSample = %+v", smp)
		}
		if got := readAll(t, f, smp.BlobKey); !bytes.Equal(got, wav) {
			t.Errorf("stored %d bytes, not the original %d", len(got), len(wav))
		}

		t.Run("DefaultName", func(t *testing.T) {
			s2, err := f.svc.UploadSample(ctx, alice.ID, app.UploadInput{Data: bytes.NewReader(encode(t, mustDecode(t, wav), audio.FormatMP3))})
			must(t, err)
			if !strings.HasPrefix(s2.Name, "Recording 2026-05-01") || s2.Format != "mp3" {
				t.Errorf("unnamed mp3 upload = %q, %s", s2.Name, s2.Format)
			}
			list, err := f.svc.ListSamples(ctx, alice.ID)
			must(t, err)
			if len(list) != 2 {
				t.Fatalf("ListSamples = %d samples, want 2", len(list))
			}
		})
		t.Run("ErrTooLarge", func(t *testing.T) {
			g := *f
			g.cfg.MaxUploadBytes = int64(len(wav)) - 1
			_, err := g.service(t, voice.New(voice.Config{})).UploadSample(ctx, alice.ID, app.UploadInput{Data: bytes.NewReader(wav)})
			wantCode(t, err, app.ETooLarge)
			g.cfg.MaxUploadBytes = int64(len(wav))
			_, err = g.service(t, voice.New(voice.Config{})).UploadSample(ctx, alice.ID, app.UploadInput{Data: bytes.NewReader(wav)})
			must(t, err)
		})
		t.Run("ErrUnsupported", func(t *testing.T) {
			_, err := f.svc.UploadSample(ctx, alice.ID, app.UploadInput{Data: strings.NewReader(strings.Repeat("just some text\n", 100))})
			wantCode(t, err, app.EUnsupported)
			if msg := app.ErrorMessage(err); !strings.Contains(msg, "WAV, MP3, FLAC, Ogg (Opus or Vorbis), WebM, M4A/MP4, 3GP, AAC") {
				t.Errorf("message %q does not list the supported formats", msg)
			}
		})
		t.Run("ErrUnprocessable", func(t *testing.T) {
			_, err := f.svc.UploadSample(ctx, alice.ID, app.UploadInput{Data: bytes.NewReader(shortWAV)})
			wantCode(t, err, app.EUnprocessable)
			if msg := app.ErrorMessage(err); !regexp.MustCompile(`too short: [0-9.]+ s of speech, need at least 10 s`).MatchString(msg) {
				t.Errorf("3 s sample message %q", msg)
			}
			broken := append([]byte{}, wav[:44]...)
			broken = append(broken, bytes.Repeat([]byte{0}, 3)...) // 3 bytes: not a whole sample
			_, err = f.svc.UploadSample(ctx, alice.ID, app.UploadInput{Data: bytes.NewReader(broken)})
			wantCode(t, err, app.EUnprocessable)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, in := range []app.UploadInput{
				{Name: strings.Repeat("é", 101), Data: bytes.NewReader(wav)},
				{Transcript: strings.Repeat("a", 5001), Data: bytes.NewReader(wav)},
				{Name: "bad\x00name", Data: bytes.NewReader(wav)},
				{Data: bytes.NewReader(nil)},
				{},
			} {
				_, err := f.svc.UploadSample(ctx, alice.ID, in)
				wantCode(t, err, app.EInvalid)
			}
		})
		t.Run("Isolation", func(t *testing.T) {
			if list, err := f.svc.ListSamples(ctx, bob.ID); err != nil || len(list) != 0 {
				t.Errorf("bob's ListSamples = %d samples, %v; want none", len(list), err)
			}
			wantCode(t, f.svc.DeleteSample(ctx, bob.ID, smp.ID), app.ENotFound)
			_ = readAll(t, f, smp.BlobKey) // still there
		})
		t.Run("Delete", func(t *testing.T) {
			must(t, f.svc.DeleteSample(ctx, alice.ID, smp.ID))
			_, err := f.blobs.Open(ctx, smp.BlobKey)
			wantCode(t, err, app.ENotFound)
			wantCode(t, f.svc.DeleteSample(ctx, alice.ID, smp.ID), app.ENotFound)
		})
	})
}

func readAll(t *testing.T, f *fixture, key string) []byte {
	t.Helper()
	rc, err := f.blobs.Open(t.Context(), key)
	must(t, err)
	defer rc.Close()
	data, err := io.ReadAll(rc)
	must(t, err)
	return data
}
