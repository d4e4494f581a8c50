package elevenlabs

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAlign(t *testing.T) {
	text := "Hello, world! It's 20 past."
	words := []WordTime{{"hello", 0.10, 0.50}, {"world", 0.60, 1.00}, {"it's", 1.20, 1.40},
		{"twenty", 1.40, 1.80}, {"past", 1.85, 2.20}}
	a := align(text, words, 2.5)
	checkCovers(t, text, a, 2.5)
	at := func(i int) (float64, float64) { return a.Starts[i], a.Ends[i] }
	if s, _ := at(0); s != 0.1 { // H
		t.Errorf("H starts at %v, want 0.1 (the word's start)", s)
	}
	if _, e := at(4); e != 0.5 { // o of Hello
		t.Errorf("Hello ends at %v, want 0.5", e)
	}
	if s, e := at(5); s < 0.5 || e > 0.6 { // the comma lies in the pause
		t.Errorf("',' at %v–%v, want within the pause 0.5–0.6", s, e)
	}
	if s, _ := at(strings.Index(text, "w")); s != 0.6 {
		t.Errorf("world starts at %v, want 0.6", s)
	}
	// "20" was spoken as "twenty": it is not found, and shares the time
	// between "it's" and "past".
	i20 := strings.Index(text, "20")
	if s, e := at(i20); s < 1.4 || e > 1.85 {
		t.Errorf("'2' at %v–%v, want between 1.4 and 1.85", s, e)
	}
}

func TestAlignWithoutWords(t *testing.T) {
	a := align("Héllo wörld", nil, 1.1)
	checkCovers(t, "Héllo wörld", a, 1.1)
	if a.Starts[0] != 0 || a.Ends[10] != 1.1 || math.Abs(a.Ends[0]-0.1) > 1e-9 {
		t.Errorf("even spread expected: %v … %v", a.Starts, a.Ends)
	}
	if a := align("", nil, 1); len(a.Characters) != 0 || a.Starts == nil {
		t.Errorf("empty text: %+v", a)
	}
}

// checkCovers fails unless a has one entry per character of text, in
// order, with times that never decrease and stay within the audio.
func checkCovers(t *testing.T, text string, a Alignment, duration float64) {
	t.Helper()
	if strings.Join(a.Characters, "") != text || len(a.Starts) != utf8.RuneCountInString(text) || len(a.Ends) != len(a.Starts) {
		t.Fatalf("alignment does not cover %q: %q", text, a.Characters)
	}
	last := 0.0
	for i := range a.Starts {
		s, e := a.Starts[i], a.Ends[i]
		if s < last || e < s || e > duration+1e-9 || s < 0 {
			t.Fatalf("character %d %q: %v–%v after %v (duration %v)", i, a.Characters[i], s, e, last, duration)
		}
		last = s
	}
}

// FuzzAlign times arbitrary text from words cut out of it and from junk:
// every character is always covered, in order, within the audio.
func FuzzAlign(f *testing.F) {
	f.Add("Hello, world!", "hello world", 1.5)
	f.Add("Dr. Smith paid $3.50 on 1/2/2024.", "doctor smith paid three dollars fifty", 3.0)
	f.Add("", "x", 0.0)
	f.Add("\xff\xfe a", "a a a", -1.0)
	f.Fuzz(func(t *testing.T, text, spoken string, duration float64) {
		if !(duration >= 0 && duration < 1e6) {
			duration = 1
		}
		var words []WordTime
		step := duration / float64(len(strings.Fields(spoken))+1)
		for i, w := range strings.Fields(spoken) {
			words = append(words, WordTime{Text: w, Start: step * float64(i), End: step * float64(i+1)})
		}
		a := align(text, words, duration)
		want := []rune(text)
		if len(a.Characters) != len(want) {
			t.Fatalf("%d characters for %d runes", len(a.Characters), len(want))
		}
		last := 0.0
		for i := range a.Starts {
			if a.Characters[i] != string(want[i]) || a.Starts[i] < last || a.Ends[i] < a.Starts[i] || a.Ends[i] > duration+0.001 {
				t.Fatalf("character %d: %q %v–%v", i, a.Characters[i], a.Starts[i], a.Ends[i])
			}
			last = a.Starts[i]
		}
	})
}
