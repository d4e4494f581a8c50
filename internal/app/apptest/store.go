package apptest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// StoreSuite checks an app.Store against the contract documented on the
// interface. open must return a fresh, migrated, empty store for each call;
// subtests run in parallel, each with its own store. rows reads a store's
// every row, for the check that DeleteUser leaves nothing of the user.
func StoreSuite(t *testing.T, open func(t *testing.T) app.Store, rows Rows) {
	tests := map[string]func(t *testing.T, s app.Store){
		"Users":          testUsers,
		"APIKeys":        testAPIKeys,
		"Samples":        testSamples,
		"Models":         testModels,
		"ModelDelete":    testModelDelete,
		"History":        testHistory,
		"HistorySim":     testHistorySimilarity,
		"HistoryVoice":   testHistoryVoice,
		"RateLimit":      testRateLimit,
		"RateParallel":   testRateParallel,
		"RateRelease":    testRateRelease,
		"RatePrune":      testRatePrune,
		"ModelPending":   testModelPending,
		"Jobs":           testJobs,
		"JobCancel":      testJobCancelAndDelete,
		"BlobRefs":       testBlobRefs,
		"BlobSweeps":     testBlobSweeps,
		"DeleteUser":     testDeleteUser,
		"DeleteTraces":   testDeleteUserTraces(rows),
		"Audit":          testAudit,
		"Watermarks":     testWatermarks,
		"WatermarkPrune": testWatermarkPrune,
		"RecentMarks":    testRecentWatermarks,
		"Consent":        testConsent,
		"ConsentOpen":    testConsentOpen,
		"ConsentPrune":   testConsentPrune,
		"ConsentRace":    func(t *testing.T, s app.Store) { raceConsent(t, []app.Store{s}, 20, 3) },
		"AnswerRace":     func(t *testing.T, s app.Store) { raceAnswer(t, []app.Store{s}, 16) },
		"Leases":         testLeases,
		"LeaseHeld":      testLeaseHeld,
		"LeaseRace":      func(t *testing.T, s app.Store) { raceLease(t, []app.Store{s}, 16) },
		"JobOnce": func(t *testing.T, s app.Store) {
			u := newUser(t, s)
			j := newJob(t, s, u, newModel(t, s, u, 0), 1, "Once.")
			finishOnce(t, []app.Store{s}, u, j, 8)
		},
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t))
		})
	}
}

func testUsers(t *testing.T, s app.Store) {
	ctx := t.Context()
	u := app.User{ID: app.NewID(), Email: "Ada@Example.com", CreatedAt: T0}
	must(t, s.CreateUser(ctx, u, "secret-hash"))

	got, err := s.FindUserByID(ctx, u.ID)
	must(t, err)
	if !reflect.DeepEqual(got, u) {
		t.Errorf("FindUserByID = %+v, want %+v", got, u)
	}
	got, hash, err := s.FindUserByEmail(ctx, "ada@EXAMPLE.com")
	must(t, err)
	if !reflect.DeepEqual(got, u) || hash != "secret-hash" {
		t.Errorf("FindUserByEmail = %+v, %q; want %+v, secret-hash", got, hash, u)
	}
	dup := app.User{ID: app.NewID(), Email: "ADA@example.COM", CreatedAt: T0}
	wantCode(t, s.CreateUser(ctx, dup, "x"), app.EConflict)
	wantCode(t, s.CreateUser(ctx, app.User{ID: u.ID, Email: "other@example.com", CreatedAt: T0}, "x"), app.EConflict)

	_, err = s.FindUserByID(ctx, app.NewID())
	wantCode(t, err, app.ENotFound)
	_, _, err = s.FindUserByEmail(ctx, "nobody@example.com")
	wantCode(t, err, app.ENotFound)
	must(t, s.Ping(ctx))
}

func testAPIKeys(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	k1 := app.StoredAPIKey{APIKey: app.APIKey{ID: app.NewID(), UserID: alice.ID, Name: "laptop",
		Prefix: "vxk_abcd1234", CreatedAt: T0}, Hash: []byte{1, 2, 3, 0, 255}}
	k2 := app.StoredAPIKey{APIKey: app.APIKey{ID: app.NewID(), UserID: bob.ID, Name: "ci",
		Prefix: "vxk_abcd1234", CreatedAt: T0.Add(time.Second)}, Hash: []byte{9}}
	must(t, s.CreateAPIKey(ctx, k1))
	must(t, s.CreateAPIKey(ctx, k2))

	got, err := s.FindAPIKeysByPrefix(ctx, "vxk_abcd1234")
	must(t, err)
	if !reflect.DeepEqual(got, []app.StoredAPIKey{k1, k2}) {
		t.Errorf("FindAPIKeysByPrefix = %+v, want both keys", got)
	}
	if got, err := s.FindAPIKeysByPrefix(ctx, "vxk_none0000"); err != nil || len(got) != 0 {
		t.Errorf("FindAPIKeysByPrefix(unknown) = %v, %v; want empty, nil", got, err)
	}

	used := T0.Add(time.Hour)
	must(t, s.TouchAPIKey(ctx, k1.ID, used))
	wantCode(t, s.TouchAPIKey(ctx, app.NewID(), used), app.ENotFound)
	list, err := s.ListAPIKeys(ctx, alice.ID)
	must(t, err)
	if len(list) != 1 || list[0].ID != k1.ID || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(used) {
		t.Fatalf("ListAPIKeys(alice) = %+v, want k1 used at %v", list, used)
	}

	wantCode(t, s.DeleteAPIKey(ctx, bob.ID, k1.ID), app.ENotFound)
	must(t, s.DeleteAPIKey(ctx, alice.ID, k1.ID))
	wantCode(t, s.DeleteAPIKey(ctx, alice.ID, k1.ID), app.ENotFound)
	if list, _ := s.ListAPIKeys(ctx, alice.ID); len(list) != 0 {
		t.Errorf("after delete, ListAPIKeys = %+v", list)
	}
	if list, _ := s.ListAPIKeys(ctx, bob.ID); len(list) != 1 {
		t.Errorf("bob's key went away: %+v", list)
	}
}

func testSamples(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	s1 := newSample(t, s, alice, 0)
	s2 := newSample(t, s, alice, 5)
	newSample(t, s, bob, 1)

	got, err := s.FindSample(ctx, alice.ID, s1.ID)
	must(t, err)
	if !reflect.DeepEqual(got, s1) {
		t.Errorf("FindSample =\n%+v, want\n%+v", got, s1)
	}
	_, err = s.FindSample(ctx, bob.ID, s1.ID)
	wantCode(t, err, app.ENotFound)

	list, err := s.ListSamples(ctx, alice.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != s2.ID || list[1].ID != s1.ID {
		t.Errorf("ListSamples = %v, want [s2 s1] newest first", sampleIDs(list))
	}
	if list, err := s.ListSamples(ctx, app.NewID()); err != nil || list == nil || len(list) != 0 {
		t.Errorf("ListSamples(no user) = %#v, %v; want empty non-nil", list, err)
	}

	_, err = s.DeleteSample(ctx, bob.ID, s1.ID)
	wantCode(t, err, app.ENotFound)
	del, err := s.DeleteSample(ctx, alice.ID, s1.ID)
	must(t, err)
	if del.BlobKey != s1.BlobKey {
		t.Errorf("DeleteSample returned blob key %q, want %q", del.BlobKey, s1.BlobKey)
	}
	_, err = s.FindSample(ctx, alice.ID, s1.ID)
	wantCode(t, err, app.ENotFound)

	dup := s2
	dup.ID = app.NewID()
	wantCode(t, s.CreateSample(ctx, dup), app.EConflict) // same blob key
	odd := newSample(t, s, alice, 9)
	odd.ID, odd.BlobKey, odd.Quality.Warnings = app.NewID(), "samples/"+strings.Repeat("0", 32)+".wav", nil
	must(t, s.CreateSample(ctx, odd))
	if got, _ := s.FindSample(ctx, alice.ID, odd.ID); got.Quality.Warnings == nil {
		t.Errorf("nil warnings read back as nil, want empty slice")
	}
}

func sampleIDs(list []app.Sample) []string {
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID[:6])
	}
	return ids
}
