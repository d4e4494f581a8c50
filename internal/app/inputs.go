package app

import (
	"io"
	"time"
)

// This file holds the request and result shapes of the Service's use cases.
// The Service methods (implemented in service*.go) are:
//
//	Register(ctx, email, password string) (User, string /*token*/, error)
//	RegisterFrom(ctx, Credentials) (User, string, RateStatus, error) // ERateLimited per client
//	Login(ctx, email, password string) (string /*token*/, error)
//	LoginFrom(ctx, Credentials) (string, RateStatus, error) // ERateLimited after failures
//	Authenticate(ctx, bearer string) (User, error) // JWT or personal API key
//	CreateAPIKey(ctx, userID, name string) (APIKey, string /*secret, shown once*/, error)
//	ListAPIKeys(ctx, userID string) ([]APIKey, error)
//	DeleteAPIKey(ctx, userID, id string) error
//	Allow(ctx, userID string, action Action) (RateStatus, error) // ERateLimited when over
//	NewBudget(userID string, action Action, notify) (*Budget, error) // charged by the use case, see budget.go
//	UploadSample(ctx, userID string, in UploadInput) (Sample, error)
//	ListSamples(ctx, userID string) ([]Sample, error)
//	DeleteSample(ctx, userID, id string) error
//	CreateModel(ctx, userID string, in CreateModelInput) (Model, error) // pending; a worker builds it
//	ListModels(ctx, userID string) ([]Model, error)
//	GetModel(ctx, userID, id string) (Model, error)
//	UpdateModel(ctx, userID, id string, upd ModelUpdate) (Model, error)
//	DeleteModel(ctx, userID, id string) error
//	Synthesize(ctx, userID string, in SynthesizeInput) (Synthesis, []byte /*encoded audio*/, error)
//	StartSpeech(ctx, userID string, in SynthesizeInput) (*Speech, RateStatus, error) // then Speech.Stream (speech.go)
//	FindModelByName(ctx, userID, name string) (Model, error)
//	ResolveVoice(ctx, userID, ref string) (VoiceRef, error) // a model id or name, or a built-in voice
//	BuiltinVoices() []BuiltinVoice
//	ListHistory(ctx, userID string, limit int, cursor string) (HistoryPage, error)
//	GetSynthesis(ctx, userID, id string) (Synthesis, error)
//	StartSpeechJob(ctx, userID string, in SynthesizeInput) (Job, error) // long text, spoken by a worker
//	GetJob(ctx, userID, id string) (Job, error)
//	ListJobs(ctx, userID string, limit int, cursor string) (JobPage, error)
//	CancelJob(ctx, userID, id string) (Job, error)
//	RunTask(ctx, Task) error // called by workers, see task.go
//	GiveUpTask(ctx, Task, cause error) error
//	OpenHistoryAudio(ctx, userID, id string) (Synthesis, io.ReadSeekCloser, error)
//	Health(ctx) Health
//
// Every method that takes a userID only ever sees that user's rows: another
// user's id yields ENotFound, never EForbidden, so ids cannot be probed.

// UploadInput is a voice sample as received. Data is read at most up to the
// service's upload limit; more is ETooLarge.
type UploadInput struct {
	Name       string
	Transcript string
	Data       io.Reader
}

// CreateModelInput asks for a voice model built from the user's samples.
type CreateModelInput struct {
	Name        string
	Description string
	SampleIDs   []string
}

// ModelUpdate changes the fields that are set.
type ModelUpdate struct {
	Name        *string
	Description *string
}

// SynthesizeInput asks for text spoken in one of the user's voice models
// (ModelID) or in a built-in voice (Voice): exactly one of the two.
type SynthesizeInput struct {
	ModelID    string
	Voice      string
	Text       string
	Format     string   // wav (default), mp3, ogg/opus, aac, flac, pcm, ulaw
	Speed      float64  // 0 means 1; 0.5–2.0
	Pitch      float64  // semitones, −12…12
	Similarity *float64 // 0–1; nil means the engine default
	SampleRate int      // 0 means the engine's rate; 8000–48000
	Bitrate    int      // kbit/s for mp3, opus and aac, 8–320; 0 means the format's speech default
}

// HistoryPage is one page of history, newest first. NextCursor is empty on
// the last page.
type HistoryPage struct {
	Items      []Synthesis `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// Action names a rate-limited use case.
type Action string

// Rate-limited actions; each has its own budget per user.
const (
	ActionUpload     Action = "upload"
	ActionClone      Action = "clone"
	ActionSynthesize Action = "synthesize"
)

// Rate-limited account actions, counted per email and client address
// rather than per user; Allow refuses them (LoginFrom and RegisterFrom
// count them).
const (
	ActionLogin    Action = "login"    // a failed login
	ActionRegister Action = "register" // a registration attempt
)

// Credentials are an email and password as a client sent them. Client
// identifies where the request came from (an IP address, or an IPv6 /64
// prefix, as the HTTP layer decided); "" means unknown, and then only the
// per-email limit applies.
type Credentials struct {
	Email    string
	Password string
	Client   string
}

// RateStatus describes a user's budget for one action after a request was
// counted.
type RateStatus struct {
	Limit     int
	Remaining int
	Reset     time.Duration // until the window frees a slot
}

// Health reports whether each dependency answers.
type Health struct {
	OK       bool              `json:"ok"`
	Engine   ComponentHealth   `json:"engine"`
	Database ComponentHealth   `json:"database"`
	Storage  ComponentHealth   `json:"storage"`
	Version  string            `json:"version"`
	Extra    map[string]string `json:"extra,omitempty"`
	// Blobs is the latest blob sweep, nil before the first: read from the
	// store, not computed per call.
	Blobs *BlobSweep `json:"blobs,omitempty"`
}

// ComponentHealth is one dependency's status.
type ComponentHealth struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// BlobSweep is the outcome of one run of SweepBlobs, kept by the store so
// that Health can report it from any process.
type BlobSweep struct {
	At      time.Time `json:"at"`
	Blobs   int       `json:"blobs"`   // blobs stored when it ran
	Deleted int       `json:"deleted"` // blobs no row referred to, deleted
	// Missing counts rows whose blob was not stored; MissingKeys names up
	// to MaxMissingKeys of those blobs.
	Missing     int      `json:"missing"`
	MissingKeys []string `json:"missing_keys,omitempty"`
}

// MaxMissingKeys bounds BlobSweep.MissingKeys.
const MaxMissingKeys = 20
