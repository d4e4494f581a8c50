package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

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
	maxFailureLen = 500
)

// CreateModel records a voice model to be built from 1–20 of the user's
// samples (any other id is ENotFound; more than MaxModelAudioSeconds of
// audio together is EInvalid) and queues its building, in one
// transaction. The model is returned pending; a worker makes it ready, or
// failed with the reason in Failure (see RunTask). An empty name becomes
// "Voice <date>". The request is charged to the budget in ctx
// (ChargeBudget) once every sample is found, before anything is queued.
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
	var consented Consent
	if s.cfg.RequireConsent {
		if consented, err = s.checkConsent(ctx, userID, samples); err != nil {
			return Model{}, err
		}
	}
	m := Model{ID: NewID(), UserID: userID, Name: name, Description: desc, Status: ModelPending,
		SampleIDs: ids, Engine: s.engine.Name(), CreatedAt: now, UpdatedAt: now}
	if consented.ID != "" {
		// Used up before the model exists: a failure after this costs the
		// user a new consent, never grants a second clone.
		if err := s.store.UseConsent(ctx, userID, consented.ID, m.ID); ErrorCode(err) == ENotFound {
			return Model{}, Errorf(EConsentRequired, "Your consent was just used for another clone. Record a new consent phrase, then clone again.")
		} else if err != nil {
			return Model{}, err
		}
	}
	if err := s.store.CreateModel(ctx, m, s.enqueue(Task{Kind: TaskClone, UserID: userID, ID: m.ID})); err != nil {
		return Model{}, err
	}
	s.Audit(ctx, Event{Kind: AuditClone, UserID: userID, Subject: m.ID, Detail: "samples=" + strings.Join(ids, ",")})
	return m, nil
}

// buildModel builds a pending model from its samples, the work of a
// TaskClone. When the engine cannot build the voice, the model becomes
// failed with the reason; a model that is gone or no longer pending is
// left alone.
func (s *Service) buildModel(ctx context.Context, userID, id string) error {
	m, err := s.store.FindModel(ctx, userID, id)
	if ErrorCode(err) == ENotFound || (err == nil && m.Status != ModelPending) {
		return nil
	} else if err != nil {
		return err
	}
	release, err := s.admitWait(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	profile, err := s.cloneVoice(ctx, userID, m)
	release()
	var ae *Error
	if errors.As(err, &ae) && ae.Code != EInternal {
		s.obs.CloneDone(string(ModelFailed), time.Since(start))
		err := s.finishModel(ctx, userID, id, ModelResult{Status: ModelFailed, Failure: truncate(ae.Message, maxFailureLen)})
		return superseded(err)
	} else if err != nil {
		s.obs.CloneDone(cloneError, time.Since(start))
		return err
	}
	key := "profiles/" + NewID() + ".vxp" // never another run's: see finishModel
	n, err := s.blobs.Put(ctx, key, bytes.NewReader(profile))
	if err != nil {
		s.obs.CloneDone(cloneError, time.Since(start))
		return err
	}
	s.obs.CloneDone(string(ModelReady), time.Since(start))
	err = s.finishModel(ctx, userID, id, ModelResult{Status: ModelReady, ProfileKey: key, ProfileBytes: n})
	if ErrorCode(err) == ENotFound {
		// Another run finished the model first, or it was deleted: this
		// profile is nobody's. On other errors the update may yet have
		// committed, so the profile stays (at worst an orphan).
		s.deleteBlobs(ctx, key)
		return nil
	} else if err != nil {
		return err
	}
	s.profiles.put(id, key, profile)
	return nil
}

// cloneVoice has the engine build m's voice profile from its samples.
// Reasons the user can act on are *Error values with a code other than
// EInternal.
func (s *Service) cloneVoice(ctx context.Context, userID string, m Model) ([]byte, error) {
	if len(m.SampleIDs) == 0 {
		return nil, Errorf(EUnprocessable, "Its samples were deleted before the voice was built; clone again from other samples.")
	}
	samples, err := s.findSamples(ctx, userID, m.SampleIDs)
	if ErrorCode(err) == ENotFound {
		return nil, Errorf(EUnprocessable, "A sample was deleted while the voice was being built; clone again.")
	} else if err != nil {
		return nil, err
	}
	refs, err := s.decodeSamples(ctx, samples)
	if err != nil {
		return nil, err
	}
	profile, err := s.engine.Clone(ctx, refs)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s.log.Info("voice model failed", slog.String("model", m.ID), slog.Any("err", err))
		return nil, &Error{Code: EUnprocessable, Message: cloneFailure(err), Err: err}
	}
	return profile, nil
}

// ModelResult is the outcome of building a pending model, as
// ModelStore.FinishModel records it.
type ModelResult struct {
	Status       string // ModelReady or ModelFailed
	Failure      string
	ProfileKey   string
	ProfileBytes int64
	At           time.Time
}

// finishModel records a pending model's outcome. It is ENotFound when
// another run of the same task finished the model first, or the user
// deleted it.
func (s *Service) finishModel(ctx context.Context, userID, id string, res ModelResult) error {
	if res.At.IsZero() {
		res.At = s.now()
	}
	return s.store.FinishModel(ctx, userID, id, res)
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

// findSamples returns the user's samples with these ids, ENotFound for
// any that is not the user's, and EInvalid when they are too long
// together (more than MaxModelAudioSeconds).
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

// decodeSamples reads and decodes samples for the engine.
func (s *Service) decodeSamples(ctx context.Context, samples []Sample) ([]voice.Reference, error) {
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
