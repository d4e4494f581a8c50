package app

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"time"
)

// exportPage is how many history entries, jobs or audit events the export
// reads per query.
const exportPage = 100

// accountData is what the export reads of an account before writing: the
// lists that stay small. History, jobs and audit events, which grow with
// use, are read a page at a time as they are written.
type accountData struct {
	User     User
	Samples  []Sample
	Models   []Model
	Keys     []APIKey
	Consents []exportedConsent
	Exported time.Time
}

// ExportAccount writes a zip archive of everything the user has to w, as
// it goes: JSON metadata (account.json, samples.json, models.json,
// history.json, jobs.json, api_keys.json without secrets, audit.json,
// consents.json) and the files (samples/, profiles/, history/, each named
// by its id). A blob that is missing is left out and listed in
// account.json's "missing". History, jobs and audit events are read a page
// at a time, so the memory an export takes does not grow with the
// account. An error before the first byte leaves w untouched; an error
// later leaves a truncated archive, and the caller must not present it as
// complete.
//
// A user has one export at a time, across every process sharing the
// store: another while theirs runs is ERateLimited. This process streams
// Config.MaxExports at once; more are EUnavailable. Both carry a
// RetryAfter.
func (s *Service) ExportAccount(ctx context.Context, userID string, w io.Writer) error {
	ctx, release, err := s.takeExport(ctx, userID)
	if err != nil {
		return err
	}
	defer release()
	return s.export(ctx, userID, w)
}

// export writes the archive of ExportAccount once the export is taken.
func (s *Service) export(ctx context.Context, userID string, w io.Writer) error {
	d, err := s.accountData(ctx, userID)
	if err != nil {
		return err
	}
	s.Audit(ctx, Event{Kind: AuditAccountExported, UserID: userID})
	x := &exporter{s: s, z: zip.NewWriter(w), at: d.Exported, missing: []string{}}
	for _, f := range exportFiles(d) {
		if err := x.file(ctx, f); err != nil {
			return err
		}
	}
	// The history's files first, then history.json without the entries
	// made since: the listing never names a file the archive lacks.
	newest, err := x.historyFiles(ctx, userID)
	if err != nil {
		return err
	}
	account := struct {
		User       User      `json:"user"`
		ExportedAt time.Time `json:"exported_at"`
		Missing    []string  `json:"missing"`
	}{d.User, d.Exported, x.missing}
	steps := []func() error{
		func() error { return zipJSON(x.z, "account.json", account, d.Exported) },
		func() error { return zipJSON(x.z, "samples.json", d.Samples, d.Exported) },
		func() error { return zipJSON(x.z, "models.json", d.Models, d.Exported) },
		func() error { return x.history(ctx, userID, newest) },
		func() error {
			return x.list("jobs.json", func(add func(any) error) error {
				return eachPage(ctx, userID, s.store.ListJobs, jobAt, addAll[Job](add))
			})
		},
		func() error { return zipJSON(x.z, "api_keys.json", d.Keys, d.Exported) },
		func() error {
			return x.list("audit.json", func(add func(any) error) error {
				return eachPage(ctx, userID, s.store.ListAudit, auditAt, addAll[AuditEvent](add))
			})
		},
		func() error { return zipJSON(x.z, "consents.json", d.Consents, d.Exported) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return x.z.Close()
}

// historyFiles copies the audio of the user's history into the archive
// and returns the position of the newest entry, nil when there is none.
func (x *exporter) historyFiles(ctx context.Context, userID string) (*HistoryCursor, error) {
	var newest *HistoryCursor
	err := eachPage(ctx, userID, x.s.store.ListHistory, synthesisAt, func(page []Synthesis) error {
		for _, v := range page {
			if newest == nil {
				c := synthesisAt(v)
				newest = &c
			}
			if err := x.file(ctx, exportFile{"history/" + v.ID + path.Ext(v.AudioKey), v.AudioKey}); err != nil {
				return err
			}
		}
		return nil
	})
	return newest, err
}

// history writes history.json: the entries no newer than newest.
func (x *exporter) history(ctx context.Context, userID string, newest *HistoryCursor) error {
	return x.list("history.json", func(add func(any) error) error {
		return eachPage(ctx, userID, x.s.store.ListHistory, synthesisAt, func(page []Synthesis) error {
			for _, v := range page {
				if newest == nil || newer(synthesisAt(v), *newest) {
					continue
				}
				if err := add(v); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// accountData reads the user's small lists.
func (s *Service) accountData(ctx context.Context, userID string) (accountData, error) {
	d := accountData{Exported: s.now()}
	var err error
	if d.User, err = s.store.FindUserByID(ctx, userID); err != nil {
		return d, err
	}
	if d.Samples, err = s.store.ListSamples(ctx, userID); err != nil {
		return d, err
	}
	if d.Models, err = s.store.ListModels(ctx, userID); err != nil {
		return d, err
	}
	if d.Keys, err = s.ListAPIKeys(ctx, userID); err != nil {
		return d, err
	}
	consents, err := s.store.ListConsents(ctx, userID)
	d.Consents = []exportedConsent{}
	for _, c := range consents {
		d.Consents = append(d.Consents, exportedConsent{c, c.Phrase(), c.Print})
	}
	d.Samples, d.Models, d.Keys = orEmpty(d.Samples), orEmpty(d.Models), orEmpty(d.Keys)
	return d, err
}

// exportedConsent is a consent challenge with what the API never shows:
// the voice print kept from a verified recording (speaker.Print's binary
// form, base64 in JSON). The recording itself is not kept, so there is no
// file to export.
type exportedConsent struct {
	Consent
	Phrase     string `json:"phrase"`
	VoicePrint []byte `json:"voice_print,omitempty"`
}

// orEmpty makes a nil list encode as [] rather than null.
func orEmpty[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// eachPage calls fn with each page, newest first, of one of the user's
// lists.
func eachPage[T any](ctx context.Context, userID string,
	list func(context.Context, string, int, *HistoryCursor) ([]T, error), at func(T) HistoryCursor, fn func([]T) error) error {
	var after *HistoryCursor
	for {
		page, err := list(ctx, userID, exportPage, after)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < exportPage {
			return nil
		}
		c := at(page[len(page)-1])
		after = &c
	}
}

// addAll adds every item of a page to a JSON list.
func addAll[T any](add func(any) error) func([]T) error {
	return func(page []T) error {
		for _, v := range page {
			if err := add(v); err != nil {
				return err
			}
		}
		return nil
	}
}

func synthesisAt(v Synthesis) HistoryCursor { return HistoryCursor{v.CreatedAt, v.ID} }
func jobAt(v Job) HistoryCursor             { return HistoryCursor{v.CreatedAt, v.ID} }
func auditAt(v AuditEvent) HistoryCursor    { return HistoryCursor{v.CreatedAt, v.ID} }

// newer reports whether a comes before b in a newest-first list.
func newer(a, b HistoryCursor) bool {
	return a.CreatedAt.After(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID
}

// exporter writes one archive.
type exporter struct {
	s       *Service
	z       *zip.Writer
	at      time.Time
	missing []string
}

// file copies f's blob into the archive, or notes it missing.
func (x *exporter) file(ctx context.Context, f exportFile) error {
	ok, err := x.s.zipBlob(ctx, x.z, f.name, f.key, x.at)
	if err != nil {
		return fmt.Errorf("export %s: %w", f.name, err)
	}
	if !ok {
		x.missing = append(x.missing, f.name)
	}
	return nil
}

// list writes the entry name, a JSON array of what fill adds, one item at
// a time, laid out as zipJSON lays out a whole one.
func (x *exporter) list(name string, fill func(add func(any) error) error) error {
	f, err := x.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: x.at})
	if err != nil {
		return err
	}
	n := 0
	err = fill(func(v any) error {
		b, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return err
		}
		sep := ",\n  "
		if n == 0 {
			sep = "[\n  "
		}
		n++
		if _, err := io.WriteString(f, sep); err != nil {
			return err
		}
		_, err = f.Write(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	end := "\n]\n"
	if n == 0 {
		end = "[]\n"
	}
	_, err = io.WriteString(f, end)
	return err
}

type exportFile struct{ name, key string }

// exportFiles names the samples' and profiles' files after the rows they
// belong to (never after user input), with the blob's extension; the
// history's are named alike as its pages are read.
func exportFiles(d accountData) []exportFile {
	var out []exportFile
	for _, v := range d.Samples {
		out = append(out, exportFile{"samples/" + v.ID + path.Ext(v.BlobKey), v.BlobKey})
	}
	for _, v := range d.Models {
		if v.ProfileKey != "" {
			out = append(out, exportFile{"profiles/" + v.ID + path.Ext(v.ProfileKey), v.ProfileKey})
		}
	}
	return out
}

// zipBlob copies a blob into the archive. Every entry is stored, not
// deflated: audio gains little, the metadata is small, and a stored
// archive can be searched as it is (the isolation test looks for other
// users' data in its bytes). It reports false when the blob is missing.
func (s *Service) zipBlob(ctx context.Context, z *zip.Writer, name, key string, at time.Time) (bool, error) {
	r, err := s.blobs.Open(ctx, key)
	if ErrorCode(err) == ENotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	defer r.Close()
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: at})
	if err != nil {
		return false, err
	}
	_, err = io.Copy(f, r)
	return err == nil, err
}

func zipJSON(z *zip.Writer, name string, v any, at time.Time) error {
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: at})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
