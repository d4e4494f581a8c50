// Package consent is spoken consent to a voice clone: the challenge a user
// reads aloud — a fixed statement and a few random words, so an old
// recording cannot be replayed — and the checks of the recording: were the
// words spoken, and whose voice is it. It knows nothing of HTTP or storage.
package consent

import (
	_ "embed"
	"math/rand/v2"
	"strings"
	"time"
)

// Statement is what every consent recording begins with.
const Statement = "I agree that my voice may be cloned"

// Challenge sizes and lifetimes.
const (
	MinWords = 6
	MaxWords = 8
	// ChallengeTTL is how long a challenge may be answered.
	ChallengeTTL = 10 * time.Minute
	// ConsentTTL is how long a verified consent may be used for a clone;
	// it is used up by one clone.
	ConsentTTL = 24 * time.Hour
)

//go:embed words.txt
var wordList string

// Vocabulary is the closed list the random words come from: common,
// concrete English words that sound unlike one another. While checking a
// recording, the words not asked for stand in for whatever else might be
// said.
var Vocabulary = strings.Fields(wordList)

// Challenge is what the user is asked to say.
type Challenge struct {
	Statement string
	Words     []string
}

// NewChallenge draws MinWords to MaxWords distinct words from Vocabulary.
func NewChallenge(rng *rand.Rand) Challenge {
	n := MinWords + rng.IntN(MaxWords-MinWords+1)
	perm := rng.Perm(len(Vocabulary))[:n]
	words := make([]string, n)
	for i, j := range perm {
		words[i] = Vocabulary[j]
	}
	return Challenge{Statement: Statement, Words: words}
}

// Phrase is the text shown to the user.
func (c Challenge) Phrase() string {
	if c.Statement == "" {
		return strings.Join(c.Words, " ")
	}
	return c.Statement + ". " + strings.Join(c.Words, " ")
}

// statementWords are the statement's words as the recognizer spells them.
func (c Challenge) statementWords() []string {
	return splitWords(c.Statement)
}

func splitWords(s string) []string {
	f := func(r rune) bool { return !(r >= 'a' && r <= 'z') && r != '\'' }
	return strings.FieldsFunc(strings.ToLower(s), f)
}
