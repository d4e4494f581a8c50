package align

import (
	"slices"
	"strings"
	"testing"
)

func TestFrameLabels(t *testing.T) {
	segs := []Segment{
		{Phone: Silence, Start: 0, End: 0.012},
		{Phone: "hh", Start: 0.012, End: 0.030, Word: "hi"},
		{Phone: "ay", Start: 0.030, End: 0.041, Word: "hi"},
	}
	got := FrameLabels(segs, 0.005, 11)
	want := []string{"pau", "pau", "pau", "hh", "hh", "hh", "ay", "ay", "ay", "pau", "pau"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := FrameLabels(nil, 0.01, 2); !slices.Equal(got, []string{"pau", "pau"}) {
		t.Errorf("no segments: got %q", got)
	}
}

func TestClass(t *testing.T) {
	tests := []struct{ phone, want string }{
		{"iy", ClassFrontVowel}, {"AE1", ClassFrontVowel}, {"ah", ClassCentralVowel},
		{"ax", ClassCentralVowel}, {"uw", ClassBackVowel}, {"oy", ClassDiphthong},
		{"ng", ClassNasal}, {"K", ClassStop}, {"jh", ClassAffricate}, {"zh", ClassFricative},
		{"hh", ClassFricative}, {"r", ClassApproximant}, {"pau", ClassSilence},
		{"SIL", ClassSilence}, {"+NSN+", ClassSilence}, {"<sil>", ClassSilence},
		{"[NOISE]", ClassSilence}, {"xx", ClassUnknown}, {"", ClassUnknown},
	}
	for _, tt := range tests {
		if got := Class(tt.phone); got != tt.want {
			t.Errorf("Class(%q) = %q, want %q", tt.phone, got, tt.want)
		}
	}
	for _, p := range Phones() {
		if c := Class(p); c == ClassUnknown || c == ClassSilence {
			t.Errorf("phone %q has class %q", p, c)
		}
		if Normalize(p) != p || Normalize(strings.ToUpper(p)+"1") != p {
			t.Errorf("Normalize does not keep %q", p)
		}
	}
	if n := len(Phones()); n != 39 {
		t.Errorf("%d phones, want the CMU dictionary's 39", n)
	}
}

func TestAgreement(t *testing.T) {
	a := []Segment{{Phone: "iy", Start: 0, End: 0.05}, {Phone: "s", Start: 0.05, End: 0.1}}
	b := []Segment{{Phone: "ih", Start: 0, End: 0.03}, {Phone: "m", Start: 0.03, End: 0.1}}
	if got := Agreement(a, a, 0.1); got != 1 {
		t.Errorf("self agreement %v", got)
	}
	// iy/ih share a class for 3 frames; s/m never do.
	if got := Agreement(a, b, 0.1); got != 0.3 {
		t.Errorf("agreement %v, want 0.3", got)
	}
	if got := Agreement(a, b, 0); got != 0 {
		t.Errorf("empty span: %v", got)
	}
}
