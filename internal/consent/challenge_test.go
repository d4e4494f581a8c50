package consent

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/voice/align"
)

func TestVocabulary(t *testing.T) {
	if len(Vocabulary) != 250 {
		t.Errorf("%d words in the list, want 250", len(Vocabulary))
	}
	seen := map[string]bool{}
	for _, w := range Vocabulary {
		if seen[w] || functionWords[w] || w != strings.ToLower(w) {
			t.Errorf("word %q: repeated, a function word or not lowercase", w)
		}
		seen[w] = true
	}
	// Every word must be in the recognizer's dictionary: a guessed
	// pronunciation would be heard less surely.
	unknown, err := align.UnknownWords(strings.Join(append(Vocabulary, splitWords(Statement)...), " "))
	if err != nil {
		t.Fatal(err)
	}
	if len(unknown) > 0 {
		t.Errorf("not in the pronunciation dictionary: %v", unknown)
	}
}

func TestNewChallenge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	sizes := map[int]int{}
	for range 300 {
		c := NewChallenge(rng)
		sizes[len(c.Words)]++
		if c.Statement != Statement || !strings.HasPrefix(c.Phrase(), Statement+". ") {
			t.Fatalf("challenge %+v", c)
		}
		for i, w := range c.Words {
			if !slices.Contains(Vocabulary, w) || slices.Contains(c.Words[i+1:], w) {
				t.Fatalf("word %q of %v: not in the list, or repeated", w, c.Words)
			}
		}
	}
	if len(sizes) != 3 || sizes[MinWords] == 0 || sizes[MaxWords] == 0 {
		t.Errorf("challenge sizes %v, want 6, 7 and 8 words", sizes)
	}
}

func TestCheckWords(t *testing.T) {
	c := Challenge{Statement: Statement, Words: []string{"apple", "river", "garden", "window", "pencil", "orange"}}
	for _, tt := range []struct {
		heard []string
		ok    bool
	}{
		{strings.Fields("i agree that my voice may be cloned apple river garden window pencil orange"), true},
		// Order does not matter; function words are not needed.
		{strings.Fields("orange pencil window garden river apple agree voice cloned"), true},
		{strings.Fields("agree voice apple river garden window pencil"), true},     // 5 of 6 words
		{strings.Fields("agree voice apple river garden window"), false},           // 4 of 6
		{strings.Fields("apple river garden window pencil orange"), false},         // no statement
		{strings.Fields("agree voice apple apple apple apple apple apple"), false}, // one word, said again
		{nil, false},
	} {
		if got := c.checkWords(tt.heard); got.OK() != tt.ok {
			t.Errorf("heard %q: %+v, OK %v, want %v", tt.heard, got, got.OK(), tt.ok)
		}
	}
	if (Challenge{}).checkWords([]string{"apple"}).OK() {
		t.Error("an empty challenge passed")
	}
}
