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

// accountData is everything the export says of an account, besides audio.
type accountData struct {
	User     User
	Samples  []Sample
	Models   []Model
	History  []Synthesis
	Jobs     []Job
	Keys     []APIKey
	Audit    []AuditEvent
	Consents []exportedConsent
	Exported time.Time
}

// ExportAccount writes a zip archive of everything the user has to w, as
// it goes (nothing is held whole in memory): JSON metadata (account.json,
// samples.json, models.json, history.json, jobs.json, api_keys.json
// without secrets, audit.json, consents.json) and the files (samples/, profiles/,
// history/, each named by its id). A blob that is missing is left out and
// listed in account.json's "missing". The metadata is read before the
// first byte is written, so an error then leaves w untouched; an error
// later leaves a truncated archive, and the caller must not present it as
// complete.
func (s *Service) ExportAccount(ctx context.Context, userID string, w io.Writer) error {
	d, err := s.accountData(ctx, userID)
	if err != nil {
		return err
	}
	s.Audit(ctx, Event{Kind: AuditAccountExported, UserID: userID})
	z := zip.NewWriter(w)
	var missing []string
	for _, f := range exportFiles(d) {
		ok, err := s.zipBlob(ctx, z, f.name, f.key, d.Exported)
		if err != nil {
			return fmt.Errorf("export %s: %w", f.name, err)
		}
		if !ok {
			missing = append(missing, f.name)
		}
	}
	if missing == nil {
		missing = []string{}
	}
	docs := []struct {
		name string
		v    any
	}{
		{"account.json", struct {
			User       User      `json:"user"`
			ExportedAt time.Time `json:"exported_at"`
			Missing    []string  `json:"missing"`
		}{d.User, d.Exported, missing}},
		{"samples.json", d.Samples}, {"models.json", d.Models}, {"history.json", d.History},
		{"jobs.json", d.Jobs}, {"api_keys.json", d.Keys}, {"audit.json", d.Audit},
		{"consents.json", d.Consents},
	}
	for _, doc := range docs {
		if err := zipJSON(z, doc.name, doc.v, d.Exported); err != nil {
			return err
		}
	}
	return z.Close()
}

// accountData reads the user's rows.
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
	if d.History, err = readAll(ctx, userID, s.store.ListHistory, func(v Synthesis) HistoryCursor {
		return HistoryCursor{v.CreatedAt, v.ID}
	}); err != nil {
		return d, err
	}
	if d.Jobs, err = readAll(ctx, userID, s.store.ListJobs, func(v Job) HistoryCursor {
		return HistoryCursor{v.CreatedAt, v.ID}
	}); err != nil {
		return d, err
	}
	if d.Audit, err = readAll(ctx, userID, s.store.ListAudit, func(v AuditEvent) HistoryCursor {
		return HistoryCursor{v.CreatedAt, v.ID}
	}); err != nil {
		return d, err
	}
	consents, err := s.store.ListConsents(ctx, userID)
	d.Consents = []exportedConsent{}
	for _, c := range consents {
		d.Consents = append(d.Consents, exportedConsent{c, c.Phrase(), c.Print})
	}
	d.Samples, d.Models = orEmpty(d.Samples), orEmpty(d.Models)
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

// readAll pages through one of the user's newest-first lists.
func readAll[T any](ctx context.Context, userID string,
	list func(context.Context, string, int, *HistoryCursor) ([]T, error), at func(T) HistoryCursor) ([]T, error) {
	out := []T{}
	var after *HistoryCursor
	for {
		page, err := list(ctx, userID, exportPage, after)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < exportPage {
			return out, nil
		}
		c := at(page[len(page)-1])
		after = &c
	}
}

type exportFile struct{ name, key string }

// exportFiles names the archive's files after the rows they belong to
// (never after user input), with the blob's extension.
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
	for _, v := range d.History {
		out = append(out, exportFile{"history/" + v.ID + path.Ext(v.AudioKey), v.AudioKey})
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
