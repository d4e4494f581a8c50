package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
)

const (
	// MaxModelSamples is the most samples one voice model is built from.
	MaxModelSamples = 20
	// MaxModelAudioSeconds bounds the total length of a model's samples,
	// which are all decoded in memory while cloning.
	MaxModelAudioSeconds = 20 * 60
	// maxStoredBlob bounds reading back a blob voxclone wrote itself.
	maxStoredBlob = 1 << 30
)

// CreateModel builds a voice model from 1–20 of the user's samples (any
// other id is ENotFound). It decodes the samples, has the engine clone the
// voice and stores the profile. When the engine cannot build a voice, the
// model is still recorded, with Status "failed" and the reason in Failure,
// and returned without error. An empty name becomes "Voice <date>". The
// request is charged to the budget in ctx (ChargeBudget) once every sample
// is found, before any is decoded.
func (s *Service) CreateModel(ctx context.Context, userID string, in CreateModelInput) (Model, error) {
	now := s.now()
	name, err := cleanName(in.Name, "Voice "+now.Format("2006-01-02 15:04"), "model name", maxNameRunes)
	if err != nil {
		return Model{}, err
	}
	desc, err := cleanText(in.Description, "description", maxDescriptionRunes)
	if err != nil {
		return Model{}, err
	}
	ids, err := sampleIDs(in.SampleIDs)
	if err != nil {
		return Model{}, err
	}
	samples, err := s.findSamples(ctx, userID, ids)
	if err != nil {
		return Model{}, err
	}
	if err := ChargeBudget(ctx); err != nil {
		return Model{}, err
	}
	refs, err := s.loadReferences(ctx, samples)
	if err != nil {
		return Model{}, err
	}
	m := Model{ID: NewID(), UserID: userID, Name: name, Description: desc, Status: ModelReady,
		SampleIDs: ids, Engine: s.engine.Name(), CreatedAt: now, UpdatedAt: now}
	profile, err := s.engine.Clone(ctx, refs)
	if err != nil {
		if ctx.Err() != nil {
			return Model{}, ctx.Err()
		}
		m.Status, m.Failure = ModelFailed, cloneFailure(err)
		s.log.Info("voice model failed", slog.String("model", m.ID), slog.Any("err", err))
	} else {
		m.ProfileKey = "profiles/" + m.ID + ".vxp"
		if m.ProfileBytes, err = s.blobs.Put(ctx, m.ProfileKey, bytes.NewReader(profile)); err != nil {
			return Model{}, err
		}
	}
	if err := s.store.CreateModel(ctx, m); err != nil {
		s.deleteBlobs(ctx, m.ProfileKey)
		return Model{}, err
	}
	if profile != nil {
		s.profiles.put(m.ID, profile)
	}
	return m, nil
}

// cloneFailure says why the engine could not build a voice, in a sentence
// for people; the error itself goes to the log.
func cloneFailure(err error) string {
	if errors.Is(err, voice.ErrNoSpeech) {
		return "The voice could not be built: not enough speech in the samples (whispering and noise do not count)."
	}
	return "The voice could not be built from these samples."
}

// sampleIDs trims and de-duplicates ids, keeping order, and checks the count.
func sampleIDs(in []string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, id := range in {
		id = strings.TrimSpace(id)
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	switch {
	case len(out) == 0:
		return nil, Errorf(EInvalid, "Choose at least one sample to build the voice from.")
	case len(out) > MaxModelSamples:
		return nil, Errorf(EInvalid, "Too many samples: %d, at most %d per voice model.", len(out), MaxModelSamples)
	}
	return out, nil
}

// findSamples returns the user's samples with ids; any id that is not the
// user's is ENotFound, and together they may last MaxModelAudioSeconds.
func (s *Service) findSamples(ctx context.Context, userID string, ids []string) ([]Sample, error) {
	samples := make([]Sample, 0, len(ids))
	var total float64
	for _, id := range ids {
		err := checkID(id, "sample")
		var smp Sample
		if err == nil {
			smp, err = s.store.FindSample(ctx, userID, id)
		}
		if ErrorCode(err) == ENotFound {
			return nil, Errorf(ENotFound, "Sample %s not found.", truncate(id, 64))
		} else if err != nil {
			return nil, err
		}
		samples = append(samples, smp)
		total += smp.DurationSeconds
	}
	if total > MaxModelAudioSeconds {
		return nil, Errorf(EInvalid, "The chosen samples are %.0f minutes long together, at most %d.", total/60, MaxModelAudioSeconds/60)
	}
	return samples, nil
}

// loadReferences reads and decodes samples.
func (s *Service) loadReferences(ctx context.Context, samples []Sample) ([]voice.Reference, error) {
	refs := make([]voice.Reference, 0, len(samples))
	for _, smp := range samples {
		data, err := s.readBlob(ctx, smp.BlobKey, maxStoredBlob)
		if err != nil {
			return nil, err
		}
		pcm, _, err := codec.Decode(ctx, data)
		if err != nil {
			return nil, decodeError(ctx, "", err)
		}
		refs = append(refs, voice.Reference{Audio: pcm, Transcript: smp.Transcript})
	}
	return refs, nil
}

// GetModel returns one of the user's models.
func (s *Service) GetModel(ctx context.Context, userID, id string) (Model, error) {
	return s.findModel(ctx, userID, id)
}

// findModel is the store's FindModel for an id from a client.
func (s *Service) findModel(ctx context.Context, userID, id string) (Model, error) {
	if err := checkID(id, "voice model"); err != nil {
		return Model{}, err
	}
	return s.store.FindModel(ctx, userID, id)
}

// ListModels returns the user's models, newest first.
func (s *Service) ListModels(ctx context.Context, userID string) ([]Model, error) {
	return s.store.ListModels(ctx, userID)
}

// UpdateModel renames or re-describes one of the user's models; nil fields
// stay. A name cannot be set empty.
func (s *Service) UpdateModel(ctx context.Context, userID, id string, upd ModelUpdate) (Model, error) {
	var clean ModelUpdate
	if upd.Name != nil {
		name, err := cleanName(*upd.Name, "", "model name", maxNameRunes)
		if err != nil {
			return Model{}, err
		} else if name == "" {
			return Model{}, Errorf(EInvalid, "The model name cannot be empty.")
		}
		clean.Name = &name
	}
	if upd.Description != nil {
		desc, err := cleanText(*upd.Description, "description", maxDescriptionRunes)
		if err != nil {
			return Model{}, err
		}
		clean.Description = &desc
	}
	if err := checkID(id, "voice model"); err != nil {
		return Model{}, err
	}
	return s.store.UpdateModel(ctx, userID, id, clean, s.now())
}

// DeleteModel deletes one of the user's models, its profile, and its
// synthesis history with the history's audio. Its samples stay.
func (s *Service) DeleteModel(ctx context.Context, userID, id string) error {
	if err := checkID(id, "voice model"); err != nil {
		return err
	}
	m, audioKeys, err := s.store.DeleteModel(ctx, userID, id)
	if err != nil {
		return err
	}
	s.profiles.remove(m.ID)
	s.deleteBlobs(ctx, append(audioKeys, m.ProfileKey)...)
	return nil
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
