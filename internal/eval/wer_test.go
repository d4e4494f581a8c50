package eval

import (
	"slices"
	"strings"
	"testing"
)

func TestCountErrors(t *testing.T) {
	tests := []struct {
		ref, hyp      string
		sub, del, ins int
	}{
		{"a b c", "a b c", 0, 0, 0},
		{"a b c", "a x c", 1, 0, 0},
		{"a b c", "a c", 0, 1, 0},
		{"a b c", "a b b c", 0, 0, 1},
		{"a b c", "", 0, 3, 0},
		{"", "a b", 0, 0, 2},
		{"the cat sat", "cat sat down", 0, 1, 1},
		{"a b c d", "x y", 2, 2, 0},
	}
	for _, tc := range tests {
		got := CountErrors(strings.Fields(tc.ref), strings.Fields(tc.hyp))
		want := ErrorCounts{Ref: len(strings.Fields(tc.ref)), Substitutions: tc.sub, Deletions: tc.del, Insertions: tc.ins}
		if got != want {
			t.Errorf("CountErrors(%q, %q) = %+v, want %+v", tc.ref, tc.hyp, got, want)
		}
	}
	c := ErrorCounts{Ref: 4, Substitutions: 1, Insertions: 1}
	if c.WER() != 0.5 {
		t.Errorf("WER = %g, want 0.5", c.WER())
	}
}

func TestNormalizeWords(t *testing.T) {
	tests := map[string]string{
		"It's 25, OK?":             "it's twenty five ok",
		"The  birch-canoe slid.":   "the birch canoe slid",
		"'Quoted' words; and more": "quoted words and more",
		"1,200 and 7":              "one thousand two hundred and seven",
		"100":                      "one hundred",
		"3rd":                      "3rd",
	}
	for in, want := range tests {
		if got := strings.Join(NormalizeWords(in), " "); got != want {
			t.Errorf("NormalizeWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentencesInVocabulary(t *testing.T) {
	s := Sentences()
	if len(s) < 8 {
		t.Fatalf("%d fixed sentences, want ≥ 8", len(s))
	}
	if _, err := DefaultRecognizer().subsetDict(map[string]int{"zzyzzx": 1}); err == nil {
		t.Error("a word missing from the dictionary was accepted")
	}
	vocab := map[string]int{}
	for _, x := range s {
		for _, w := range NormalizeWords(x) {
			vocab[w]++
		}
	}
	if _, err := DefaultRecognizer().subsetDict(vocab); err != nil {
		t.Error(err)
	}
}

func FuzzNormalizeWords(f *testing.F) {
	for _, s := range []string{"It's 25, OK?", "1,200,000,000,000", "a—b/c", "'''", "\x00\xff", "99999999999999999999"} {
		f.Add(s, "the cat")
	}
	f.Fuzz(func(t *testing.T, ref, hyp string) {
		r, h := NormalizeWords(ref), NormalizeWords(hyp)
		if len(r) > 4*len(ref)+1 {
			t.Fatalf("%d words from %d bytes", len(r), len(ref))
		}
		if c := CountErrors(r, r); c.Errors() != 0 {
			t.Fatalf("self-alignment has errors: %+v", c)
		}
		c := CountErrors(r, h)
		if c.Errors() > max(len(r), len(h)) || c.Errors() < abs(len(r)-len(h)) {
			t.Fatalf("edit distance %d out of bounds for %d/%d words", c.Errors(), len(r), len(h))
		}
		if c.Ref-c.Deletions-c.Substitutions+c.Insertions+c.Substitutions != len(h) && !slices.Equal(r, h) {
			t.Fatalf("counts %+v inconsistent with %d hypothesis words", c, len(h))
		}
	})
}

func abs(x int) int { return max(x, -x) }
