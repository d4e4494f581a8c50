// Package app is voxclone's service layer: the domain types (users, voice
// samples, voice models, syntheses), the use cases that act on them, the
// error codes users see, and the small interfaces it needs from storage and
// the voice engine. It knows nothing of HTTP or SQL.
package app

import (
	"time"
)

// User is an account. Passwords never leave the store.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

// APIKey is a personal API key. The secret is shown once at creation and
// only its hash is kept.
type APIKey struct {
	ID         string     `json:"id"`
	UserID     string     `json:"-"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // first characters of the secret, to recognise it
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Quality is the report computed for every uploaded sample.
type Quality struct {
	SpeechSeconds float64  `json:"speech_seconds"`
	SNRDB         float64  `json:"snr_db"`
	ClippingRatio float64  `json:"clipping_ratio"`
	LoudnessLUFS  float64  `json:"loudness_lufs"`
	TruePeakDBTP  float64  `json:"true_peak_dbtp"`
	Score         int      `json:"score"`
	Warnings      []string `json:"warnings"`
}

// Sample is an uploaded recording of the user's voice.
type Sample struct {
	ID              string    `json:"id"`
	UserID          string    `json:"-"`
	Name            string    `json:"name"`
	Transcript      string    `json:"transcript,omitempty"`
	Format          string    `json:"format"`
	SampleRate      int       `json:"sample_rate"`
	Channels        int       `json:"channels"`
	DurationSeconds float64   `json:"duration_seconds"`
	SizeBytes       int64     `json:"size_bytes"`
	Quality         Quality   `json:"quality"`
	BlobKey         string    `json:"-"` // server-made; never derived from user input
	CreatedAt       time.Time `json:"created_at"`
}

// Model statuses. A model is pending from the clone request until a
// worker has built it (ready) or found it cannot be built (failed).
const (
	ModelPending = "pending"
	ModelReady   = "ready"
	ModelFailed  = "failed"
)

// Model is a cloned voice built from one or more samples.
type Model struct {
	ID           string    `json:"id"`
	UserID       string    `json:"-"`
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	Status       string    `json:"status"`
	Failure      string    `json:"failure,omitempty"` // why cloning failed, when Status is ModelFailed
	SampleIDs    []string  `json:"samples"`
	Engine       string    `json:"engine"`
	ProfileKey   string    `json:"-"`
	ProfileBytes int64     `json:"profile_bytes"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Synthesis is one entry of a user's synthesis history. Similarity is the
// likeness setting the synthesis used, the engine's default filled in when
// the request had none; it is nil, and omitted from JSON, for entries made
// before it was recorded, whose setting is unknown (the default then may
// not be today's).
type Synthesis struct {
	ID              string    `json:"id"`
	UserID          string    `json:"-"`
	ModelID         string    `json:"model_id,omitempty"`
	Voice           string    `json:"voice,omitempty"` // a built-in voice, when ModelID is empty
	Text            string    `json:"text"`
	Format          string    `json:"format"`
	Speed           float64   `json:"speed"`
	Pitch           float64   `json:"pitch"`
	Similarity      *float64  `json:"similarity,omitempty"`
	SampleRate      int       `json:"sample_rate"`
	DurationSeconds float64   `json:"duration_seconds"`
	SizeBytes       int64     `json:"size_bytes"`
	AudioKey        string    `json:"-"`
	CreatedAt       time.Time `json:"created_at"`
}
