package apptest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// Rows reads every row of every table of s's database, each row as one
// text holding all its values, by table name. Each adapter's tests
// provide it (sqlitetest.Rows, pgtest.Rows), from the database's own
// catalogue, so that a table added later is read too.
type Rows func(t testing.TB, s app.Store) map[string][]string

// userlessTables hold nothing of any user: migration bookkeeping, the
// last blob sweep, SQLite's autoincrement counters. Every other table
// must receive a row of the user from traceFixture, so that a table added
// later is either filled there (and DeleteUser must then clear it) or
// listed here on purpose.
var userlessTables = []string{"schema_migrations", "blob_sweeps", "sqlite_sequence"}

// testDeleteUserTraces runs DeleteUserTraces with apptest's own Queue.
func testDeleteUserTraces(rows Rows) func(t *testing.T, s app.Store) {
	return func(t *testing.T, s app.Store) { DeleteUserTraces(t, s, rows, &Queue{}) }
}

// DeleteUserTraces gives two users one of everything the store keeps
// (tasks queued with q included), deletes one with DeleteUser, passing
// q.ForgetUserTx as the Service does, and reads every row of every table
// of the database: none may still hold an id of the deleted user's (the
// account, samples, models, syntheses, failed ones included, jobs, keys,
// consents), and every other row must be exactly as it was. Tables in
// userless (beyond userlessTables) are known to hold no user's data;
// every other table must hold a row of the deleted user before, or the
// test fails, so a new table cannot go unchecked.
func DeleteUserTraces(t *testing.T, s app.Store, rows Rows, q app.Queue, userless ...string) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	ids := traceFixture(t, s, q, alice)
	traceFixture(t, s, q, bob)
	mentions := func(row string) bool {
		return slices.ContainsFunc(ids, func(id string) bool { return strings.Contains(row, id) })
	}

	before := rows(t, s)
	userless = append(userless, userlessTables...)
	kept := map[string][]string{}
	for table, rs := range before {
		kept[table] = slices.DeleteFunc(slices.Clone(rs), mentions)
		if len(kept[table]) == len(rs) && !slices.Contains(userless, table) {
			t.Errorf("table %s holds no row of the user before the deletion (rows: %d): fill it in traceFixture if it can hold a user's data, else list it in userlessTables", table, len(rs))
		}
	}
	if len(before) < 10 {
		t.Fatalf("read %d tables; the schema has more: %v", len(before), before)
	}

	_, err := s.DeleteUser(ctx, alice.ID, func(ctx context.Context, tx app.Tx) error {
		return q.ForgetUserTx(ctx, tx, alice.ID)
	})
	must(t, err)

	after := rows(t, s)
	for table, rs := range after {
		for _, r := range rs {
			if mentions(r) {
				t.Errorf("after DeleteUser, %s still holds %q", table, r)
			}
		}
		got, want := slices.Sorted(slices.Values(rs)), slices.Sorted(slices.Values(kept[table]))
		if !slices.Equal(got, want) {
			t.Errorf("after DeleteUser, %s holds\n%q\nwant the other rows as they were\n%q", table, got, want)
		}
	}
	for table := range before {
		if _, ok := after[table]; !ok {
			t.Errorf("table %s went away", table)
		}
	}
}

// traceFixture gives u one of everything a user can leave in the store,
// queueing a clone and a synthesis task with q as the Service does, and
// returns the ids that name u or u's things.
func traceFixture(t *testing.T, s app.Store, q app.Queue, u app.User) []string {
	t.Helper()
	ctx := t.Context()
	smp := newSample(t, s, u, 0)
	m := newModel(t, s, u, 1, smp)
	syn := newSynthesis(t, s, u, m, T0.Add(2*time.Second))
	failed := app.NewID() // a synthesis that failed: a payload, no history entry
	must(t, s.AddWatermark(ctx, u.ID, syn.ID, 1, T0))
	must(t, s.AddWatermark(ctx, u.ID, failed, 2, T0))

	pending := app.Model{ID: app.NewID(), UserID: u.ID, Name: "pending", Status: app.ModelPending, Engine: "e",
		SampleIDs: []string{smp.ID}, CreatedAt: T0, UpdatedAt: T0}
	must(t, s.CreateModel(ctx, pending, func(ctx context.Context, tx app.Tx) error {
		return q.EnqueueTx(ctx, tx, app.Task{Kind: app.TaskClone, UserID: u.ID, ID: pending.ID})
	}))
	j := app.Job{ID: app.NewID(), UserID: u.ID, Kind: app.JobSynthesize, Status: app.JobQueued,
		ModelID: m.ID, Text: "Spoken later.", Characters: 13, Format: "wav", Speed: 1, CreatedAt: T0, UpdatedAt: T0}
	must(t, s.CreateJob(ctx, j, func(ctx context.Context, tx app.Tx) error {
		return q.EnqueueTx(ctx, tx, app.Task{Kind: app.TaskSpeech, UserID: u.ID, ID: j.ID, Chars: 13})
	}))

	key := app.StoredAPIKey{APIKey: app.APIKey{ID: app.NewID(), UserID: u.ID, Name: "k",
		Prefix: "vxk_" + u.ID[:8], CreatedAt: T0}, Hash: []byte(u.ID)}
	must(t, s.CreateAPIKey(ctx, key))
	c := challengeAt(u, T0)
	createConsent(t, s, c)
	must(t, s.CreateAuditEvent(ctx, app.AuditEvent{ID: app.NewID(), UserID: u.ID, Kind: app.AuditClone,
		Subject: m.ID, CreatedAt: T0}))
	_, err := s.TakeRate(ctx, u.ID, app.ActionUpload, 5, time.Hour, T0)
	must(t, err)
	_, _, err = s.TakeLease(ctx, u.ID, "export", app.NewID(), T0, T0.Add(time.Minute))
	must(t, err)
	return []string{u.ID, smp.ID, m.ID, syn.ID, failed, pending.ID, j.ID, key.ID, c.ID}
}
