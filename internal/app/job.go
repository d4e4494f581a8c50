package app

import (
	"context"
	"time"
	"unicode/utf8"
)

// Job statuses. A job is queued until a worker takes it, running while one
// works on it (again after a retry), and then done, failed or cancelled,
// which it stays.
const (
	JobQueued    = "queued"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// JobSynthesize is the kind of a long-form synthesis job.
const JobSynthesize = "synthesize"

// Job is a long-form synthesis a worker runs in the background. When it is
// done, HistoryID names the history entry holding its audio.
type Job struct {
	ID       string  `json:"id"`
	UserID   string  `json:"-"`
	Kind     string  `json:"kind"`
	Status   string  `json:"status"`
	Progress float64 `json:"progress"` // 0–1
	// The request, as validated: the text's length and first characters,
	// and the settings.
	ModelID    string   `json:"model_id,omitempty"`
	Voice      string   `json:"voice,omitempty"` // a built-in voice, when ModelID is empty
	Characters int      `json:"characters"`
	Preview    string   `json:"text_preview"`
	Format     string   `json:"format"`
	Speed      float64  `json:"speed"`
	Pitch      float64  `json:"pitch"`
	Similarity *float64 `json:"similarity,omitempty"`
	SampleRate int      `json:"sample_rate"`
	// Text is the whole text; only JobStore.StartJob fills it in, for the
	// worker.
	Text       string     `json:"-"`
	HistoryID  string     `json:"history_id,omitempty"`
	Error      string     `json:"error,omitempty"` // why it failed, when Status is JobFailed
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// Finished reports whether the job has reached a status it keeps.
func (j Job) Finished() bool {
	return j.Status == JobDone || j.Status == JobFailed || j.Status == JobCancelled
}

// JobResult is how a job ended, as JobStore.FinishJob records it.
type JobResult struct {
	Status    string // JobDone, JobFailed or JobCancelled
	Error     string // for JobFailed
	HistoryID string // for JobDone
	At        time.Time
}

// JobPage is one page of jobs, newest first. NextCursor is empty on the
// last page.
type JobPage struct {
	Items      []Job  `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// Job text limits: the whole text, and the part stores keep as Preview.
const (
	// MaxJobTextRunes is the longest text a synthesis job speaks.
	MaxJobTextRunes = MaxStreamTextRunes
	// JobPreviewRunes is how much of the text jobs show.
	JobPreviewRunes = 100
)

// StartSpeechJob queues the synthesis of a text of up to MaxJobTextRunes
// characters, with the options and voices of StartSpeech, and returns the
// queued job. Everything StartSpeech checks is checked now, with its
// errors, and one unit of the synthesize budget is taken (the status is
// returned, with ERateLimited when over), so a job fails later only for
// reasons found while speaking.
func (s *Service) StartSpeechJob(ctx context.Context, userID string, in SynthesizeInput) (Job, RateStatus, error) {
	sp, err := s.prepareSpeech(ctx, userID, in, MaxJobTextRunes)
	if err != nil {
		return Job{}, RateStatus{}, err
	}
	st, err := s.charge(ctx, userID, ActionSynthesize)
	if err != nil {
		return Job{}, st, err
	}
	syn, now := sp.Synthesis(), s.now()
	j := Job{
		ID: NewID(), UserID: userID, Kind: JobSynthesize, Status: JobQueued,
		ModelID: syn.ModelID, Voice: syn.Voice, Characters: utf8.RuneCountInString(syn.Text),
		Preview: preview(syn.Text), Text: syn.Text, Format: syn.Format, Speed: syn.Speed, Pitch: syn.Pitch,
		Similarity: sp.opts.Similarity, SampleRate: sp.asked, CreatedAt: now, UpdatedAt: now,
	}
	task := Task{Kind: TaskSpeech, UserID: userID, ID: j.ID, Chars: j.Characters}
	if err := s.store.CreateJob(ctx, j, s.enqueue(task)); err != nil {
		return Job{}, st, err
	}
	s.Audit(ctx, Event{Kind: AuditSynthesis, UserID: userID, Subject: j.ID, Detail: speechDetail(syn, "job")})
	return j, st, nil
}

// preview is the start of text that jobs show.
func preview(text string) string {
	i, n := 0, 0
	for i < len(text) && n < JobPreviewRunes {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
		n++
	}
	return text[:i]
}

// GetJob returns one of the user's jobs.
func (s *Service) GetJob(ctx context.Context, userID, id string) (Job, error) {
	if err := checkID(id, "job"); err != nil {
		return Job{}, err
	}
	return s.store.FindJob(ctx, userID, id)
}

// ListJobs returns a page of the user's jobs, newest first, with the
// paging rules of ListHistory.
func (s *Service) ListJobs(ctx context.Context, userID string, limit int, cursor string) (JobPage, error) {
	limit, after, err := pageArgs(limit, cursor)
	if err != nil {
		return JobPage{}, err
	}
	items, err := s.store.ListJobs(ctx, userID, limit+1, after)
	if err != nil {
		return JobPage{}, err
	}
	var page JobPage
	page.Items, page.NextCursor = trimPage(items, limit, func(j Job) HistoryCursor {
		return HistoryCursor{CreatedAt: j.CreatedAt, ID: j.ID}
	})
	return page, nil
}

// CancelJob cancels one of the user's queued or running jobs and returns
// it; a running job stops within a few seconds and keeps no audio.
// Cancelling a cancelled job is not an error; a job that is done or
// failed is EConflict.
func (s *Service) CancelJob(ctx context.Context, userID, id string) (Job, error) {
	if err := checkID(id, "job"); err != nil {
		return Job{}, err
	}
	err := s.finishJob(ctx, userID, id, JobResult{Status: JobCancelled}, nil)
	if err != nil && ErrorCode(err) != EConflict {
		return Job{}, err
	}
	j, ferr := s.store.FindJob(ctx, userID, id)
	switch {
	case ferr != nil:
		return Job{}, ferr
	case err != nil && j.Status != JobCancelled:
		return Job{}, Errorf(EConflict, "The job has already ended (%s).", j.Status)
	}
	return j, nil
}

// finishJob records how a job ended, with syn as its history entry when
// it is done.
func (s *Service) finishJob(ctx context.Context, userID, id string, res JobResult, syn *Synthesis) error {
	if res.At.IsZero() {
		res.At = s.now()
	}
	return s.store.FinishJob(ctx, userID, id, res, syn)
}
