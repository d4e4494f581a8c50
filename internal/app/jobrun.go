package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"sync/atomic"
	"unicode/utf8"
)

// errJobStopped cancels a running job's context when the job was
// cancelled, or deleted with its model, while it ran.
var errJobStopped = errors.New("app: the job was cancelled or deleted")

// runJob speaks a queued job's text, the work of a TaskSpeech, and stores
// the audio with its history entry when the job is done. The entry and the
// job's status are written in one transaction, only while the job is
// unfinished, so of two runs of one job only one leaves an entry.
func (s *Service) runJob(ctx context.Context, userID, id string) error {
	j, err := s.store.StartJob(ctx, userID, id, s.now())
	if ErrorCode(err) == ENotFound || (err == nil && j.Finished()) {
		return nil
	} else if err != nil {
		return err
	}
	var done progress
	work, stop := s.watchJob(ctx, j, &done)
	var (
		syn      Synthesis
		recorded bool
	)
	release, err := s.admitWait(work)
	if err == nil {
		syn, err = s.speakJob(work, j, &done)
		release()
	}
	stopped := errors.Is(context.Cause(work), errJobStopped)
	// The heartbeat ends before the job's end is recorded, which is done
	// on ctx, not work: a beat that finds the job just finished cancels
	// work, and that must not cut a commit that has succeeded (its answer
	// then reads "context canceled", and a synthesis in the history would
	// lose its watermark row and its job.done event).
	stop()
	defer func() {
		// Spoken but not recorded (cancelled, lost to another run, or to
		// be retried as a new synthesis): its watermark is nobody's.
		if syn.ID != "" && !recorded {
			s.dropMarker(ctx, syn)
		}
	}()
	if stopped {
		return nil // cancelled or deleted: the audio went with it
	}
	var ae *Error
	if errors.As(err, &ae) && ae.Code != EInternal {
		return superseded(s.finishJob(ctx, userID, id, JobResult{Status: JobFailed, Error: ae.Message}, nil))
	} else if err != nil {
		return err
	}
	err = s.finishJob(ctx, userID, id, JobResult{Status: JobDone, HistoryID: syn.ID}, &syn)
	if recorded = err == nil; recorded {
		s.Audit(ctx, Event{Kind: AuditJobDone, UserID: userID, Subject: syn.ID, Detail: "job=" + id})
	}
	if c := ErrorCode(err); c == ENotFound || c == EConflict {
		// Cancelled at the last moment, or another run finished first: the
		// audio is nobody's.
		s.deleteBlobs(ctx, syn.AudioKey)
		return nil
	}
	return err
}

// speakJob streams the job's speech into storage, without holding it
// whole, and sets p after each sentence (or part of a long one). The
// history entry it returns is not recorded yet.
func (s *Service) speakJob(ctx context.Context, j Job, p *progress) (Synthesis, error) {
	sp, err := s.prepareSpeech(ctx, j.UserID, j.input(), MaxJobTextRunes)
	if err != nil {
		return Synthesis{}, err
	}
	total := float64(max(sp.chars(), 1))
	return sp.streamAndKeep(ctx, io.Discard, func(part SpeechPart) {
		p.set(float64(part.TextStart+utf8.RuneCountInString(part.Text)) / total)
	}, true)
}

// input is the synthesis request a job was made from.
func (j Job) input() SynthesizeInput {
	return SynthesizeInput{ModelID: j.ModelID, Voice: j.Voice, Text: j.Text, Format: j.Format, Speed: j.Speed,
		Pitch: j.Pitch, Similarity: j.Similarity, SampleRate: j.SampleRate}
}

// progress is a running job's share done, 0–1, safe for concurrent use.
type progress struct{ bits atomic.Uint64 }

func (p *progress) set(v float64) { p.bits.Store(math.Float64bits(min(max(v, 0), 1))) }
func (p *progress) get() float64  { return math.Float64frombits(p.bits.Load()) }

// watchJob returns a context for working on j and a func that ends the
// watch. Every Config.JobHeartbeat it records the job's progress; when
// the job is no longer running (the user cancelled it, or deleted its
// model) the store says so and the context is cancelled with
// errJobStopped, so the work stops within one heartbeat.
func (s *Service) watchJob(ctx context.Context, j Job, p *progress) (context.Context, func()) {
	return s.keepAlive(ctx, s.cfg.JobHeartbeat, errJobStopped, func(ctx context.Context) error {
		return s.store.SetJobProgress(ctx, j.UserID, j.ID, p.get(), s.now())
	}, "record job progress", slog.String("job", j.ID))
}

// superseded treats ENotFound and EConflict from recording a task's
// outcome as success: the subject is gone, or another run (or the user,
// cancelling) finished it first.
func superseded(err error) error {
	if c := ErrorCode(err); c == ENotFound || c == EConflict {
		return nil
	}
	return err
}
