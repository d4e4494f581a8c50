package voice

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite basestats.json from fresh measurements")

// TestBaseStatsCurrent re-measures the base voices and compares them with
// the embedded basestats.json, which must follow any analysis change.
func TestBaseStatsCurrent(t *testing.T) {
	if raceEnabled && !*update {
		t.Skip("numbers only; slow under the race detector")
	}
	fresh := map[string]*speakerStats{}
	for _, v := range baseVoices {
		s, err := measureBase(context.Background(), v)
		if err != nil {
			t.Fatal(err)
		}
		fresh[v] = s
	}
	if *update {
		b, err := json.MarshalIndent(fresh, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("basestats.json", append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	stored, err := bases()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range baseVoices {
		a, b := fresh[v], stored[v]
		if !close(a.LogF0Median, b.LogF0Median) || !closeAll(a.VoicedMean, b.VoicedMean) ||
			!closeAll(a.Formants, b.Formants) || !closeAll(a.Aperiodicity, b.Aperiodicity) || !closeAll(a.GV, b.GV) {
			t.Errorf("%s: basestats.json is stale; run go test -run TestBaseStatsCurrent -update", v)
		}
		if !close(a.Activity.Default, b.Activity.Default) || len(a.Activity.Share) != len(b.Activity.Share) {
			t.Errorf("%s: speaking-time activity is stale; run go test -run TestBaseStatsCurrent -update", v)
		}
		if a.Phones == nil || b.Phones == nil || len(a.Phones.Phones) != len(b.Phones.Phones) {
			t.Fatalf("%s: phone means missing or stale; run go test -run TestBaseStatsCurrent -update", v)
		}
		for k, m := range a.Phones.Phones {
			if b.Phones.Phones[k].N != m.N || !closeAll(b.Phones.Phones[k].Mean, m.Mean) {
				t.Errorf("%s: phone mean %s is stale; run go test -run TestBaseStatsCurrent -update", v, k)
			}
		}
	}
	if f, m := stored["slt"].LogF0Median, stored["rms"].LogF0Median; f <= m+0.3 {
		t.Errorf("slt F0 %.0f Hz should be well above rms %.0f Hz", math.Exp(f), math.Exp(m))
	}
}

func close(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(a)) }

func closeAll(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !close(a[i], b[i]) {
			return false
		}
	}
	return true
}
