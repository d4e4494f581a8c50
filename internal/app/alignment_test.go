package app_test

import (
	"math"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

func TestAlignCharacters(t *testing.T) {
	text := "“Hi, café!” "
	p := app.SpeechPart{Start: 1, End: 3, Text: text, TextStart: 10, Words: []app.WordTiming{
		{Text: "Hi", Start: 1.2, End: 1.6, Offset: 11, Length: 2},
		{Text: "café", Start: 1.8, End: 2.6, Offset: 15, Length: 4},
	}}
	a := app.AlignCharacters(p)
	if strings.Join(a.Characters, "") != text || len(a.Start) != len([]rune(text)) || len(a.End) != len(a.Start) {
		t.Fatalf("characters %q", a.Characters)
	}
	want := []struct {
		ch         string
		start, end float64
	}{
		{"“", 1, 1.2}, {"H", 1.2, 1.4}, {"i", 1.4, 1.6}, {",", 1.6, 1.7}, {" ", 1.7, 1.8},
		{"c", 1.8, 2.0}, {"a", 2.0, 2.2}, {"f", 2.2, 2.4}, {"é", 2.4, 2.6},
		{"!", 2.6, 2.7333}, {"”", 2.7333, 2.8667}, {" ", 2.8667, 3},
	}
	for i, w := range want {
		if a.Characters[i] != w.ch || math.Abs(a.Start[i]-w.start) > 1e-3 || math.Abs(a.End[i]-w.end) > 1e-3 {
			t.Errorf("character %d = %q %.4f–%.4f, want %q %.4f–%.4f", i, a.Characters[i], a.Start[i], a.End[i], w.ch, w.start, w.end)
		}
	}
	// Two parts append into one timeline.
	next := app.AlignCharacters(app.SpeechPart{Start: 3, End: 4, Text: "Bye.", TextStart: 22,
		Words: []app.WordTiming{{Text: "Bye", Start: 3.1, End: 3.5, Offset: 22, Length: 3}}})
	a.Append(next)
	for i := 1; i < len(a.Start); i++ {
		if a.Start[i] < a.End[i-1]-1e-9 || a.End[i] < a.Start[i] {
			t.Errorf("character %d (%q) at %.3f–%.3f after %.3f", i, a.Characters[i], a.Start[i], a.End[i], a.End[i-1])
		}
	}
	if a.End[len(a.End)-1] != 4 {
		t.Errorf("last character ends at %.3f, want the part's end 4", a.End[len(a.End)-1])
	}
}
