package voice

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/tts/normalize"
)

// ErrUnreadable is returned for text that is mostly in a script the base
// synthesizer cannot read (Chinese, Cyrillic, …): it would speak a
// fraction of it, or nothing.
var ErrUnreadable = errors.New("voice: text not in a script the engine reads")

// MaxScriptRunes bounds the text of one Script: about two hours of speech.
const MaxScriptRunes = 100_000

// Chunk sizes, in bytes of the words the base synthesizer reads. A chunk
// is a sentence, or part of a long one: short chunks keep each render's
// vocoder buffers small (≈ 1.6 MB per second of speech) and let the first
// audio out early.
const (
	maxStreamChunk = 300
	// The first chunk is cut short when the first sentence is long, so
	// the first audio is ready after rendering a few words.
	firstChunkWords    = 6
	firstChunkMaxWords = 10
)

// Script is text prepared for speaking: read into words (numbers, dates,
// abbreviations and the like spelled out by package normalize) and cut
// into chunks at sentence ends, which Stream renders in parallel and plays
// in order. Prepare makes one; it is immutable and may be spoken any
// number of times.
type Script struct {
	text   string
	tokens []normalize.Token
	chunks []scriptChunk
}

// scriptChunk is one render: the words the base synthesizer reads (each
// with the punctuation that follows it), the written token each belongs
// to, and the pause after the chunk. A chunk ends between tokens except
// in a run-on token longer than a chunk.
type scriptChunk struct {
	words     []string
	wordToken []int // for each word, its index in Script.tokens
	pause     normalize.Break
}

func (c *scriptChunk) spoken() string { return strings.Join(c.words, " ") }

func (c *scriptChunk) size() int {
	n := 0
	for _, w := range c.words {
		n += len(w) + 1
	}
	return n
}

// Prepare reads text for speaking. It fails with ErrEmptyText when there is
// nothing to say, ErrTextTooLong over MaxScriptRunes characters, and
// ErrUnreadable when fewer than half of the letters and digits are ones
// the engine reads.
func Prepare(text string) (*Script, error) {
	if utf8.RuneCountInString(text) > MaxScriptRunes {
		return nil, ErrTextTooLong
	}
	toks := normalize.Text(text)
	read, unread := 0, 0
	for _, t := range toks {
		unread += t.Unread
		for _, w := range t.Words {
			read += len(w)
		}
	}
	switch {
	case read == 0 && unread > 0, unread > read:
		return nil, ErrUnreadable
	case read == 0:
		return nil, ErrEmptyText
	}
	s := &Script{text: text, tokens: toks}
	s.plan()
	return s, nil
}

// Text returns the text as given to Prepare.
func (s *Script) Text() string { return s.text }

// Chunks is how many pieces Stream renders the script in.
func (s *Script) Chunks() int { return len(s.chunks) }

// plan cuts the tokens into chunks: one per sentence, long sentences cut
// at their last clause break before maxStreamChunk bytes (or at a word
// when there is none), and the first sentence cut early.
func (s *Script) plan() {
	var cur scriptChunk
	for i, t := range s.tokens {
		for k, w := range t.Words {
			if cur.size()+len(w)+2 > maxStreamChunk && len(cur.words) > 0 {
				s.cutLong(&cur)
			}
			if k == len(t.Words)-1 && t.Punct != 0 {
				w += string(t.Punct)
			}
			cur.words = append(cur.words, w)
			cur.wordToken = append(cur.wordToken, i)
		}
		if len(cur.words) > 0 && (t.Break >= normalize.Sentence || (len(s.chunks) == 0 && s.firstCut(cur, i))) {
			cur.pause = t.Break
			s.chunks = append(s.chunks, cur)
			cur = scriptChunk{}
		} else if t.Break > cur.pause && len(cur.words) == 0 && len(s.chunks) > 0 {
			// Punctuation standing after a chunk lengthens its pause.
			s.chunks[len(s.chunks)-1].pause = t.Break
		}
	}
	if len(cur.words) > 0 {
		s.chunks = append(s.chunks, cur)
	}
	if n := len(s.chunks); n > 0 {
		s.chunks[n-1].pause = normalize.NoBreak
	}
}

// cutLong closes the words of cur up to its last clause break as a chunk
// and keeps the rest in cur; without a clause break, all of cur is closed.
func (s *Script) cutLong(cur *scriptChunk) {
	cut := 0 // words before the cut
	for k := len(cur.words) - 1; k > 0; k-- {
		prev := cur.wordToken[k-1]
		if cur.wordToken[k] != prev && s.tokens[prev].Break == normalize.Clause {
			cut = k
			break
		}
	}
	if cut == 0 {
		cur.pause = normalize.NoBreak
		s.chunks = append(s.chunks, *cur)
		*cur = scriptChunk{}
		return
	}
	s.chunks = append(s.chunks, scriptChunk{words: cur.words[:cut:cut], wordToken: cur.wordToken[:cut:cut], pause: normalize.Clause})
	*cur = scriptChunk{words: append([]string(nil), cur.words[cut:]...), wordToken: append([]int(nil), cur.wordToken[cut:]...)}
}

// cutBefore are words a phrase can start with; the first chunk may end
// before one of them when the first sentence has no early clause break.
var cutBefore = map[string]bool{
	"and": true, "but": true, "or": true, "so": true, "because": true, "which": true, "that": true,
	"who": true, "when": true, "where": true, "while": true, "with": true, "without": true, "in": true,
	"on": true, "at": true, "for": true, "from": true, "to": true, "of": true, "after": true,
	"before": true, "since": true, "until": true, "if": true, "as": true, "than": true, "into": true,
	"over": true, "under": true, "by": true, "about": true, "through": true, "across": true, "near": true,
	"like": true, "during": true, "against": true, "between": true, "among": true, "toward": true,
	"towards": true, "upon": true, "within": true, "around": true, "behind": true, "beyond": true,
}

// minFirstRest is the fewest words the first sentence must go on for after
// the first chunk's cut: cutting off a short tail gains little.
const minFirstRest = 4

// firstCut reports whether the first chunk, cur, should end after token
// i: only when the sentence goes on for minFirstRest words or more, at a
// clause break from the third word, before a phrase-starting word from
// firstChunkWords on, or at firstChunkMaxWords.
func (s *Script) firstCut(cur scriptChunk, i int) bool {
	t, words := s.tokens[i], len(cur.words)
	if words < 3 || len(t.Words) == 0 || !s.sentenceLongerThan(i, minFirstRest-1) {
		return false
	}
	if t.Break == normalize.Clause && words <= firstChunkMaxWords {
		return true
	}
	if words < firstChunkWords {
		return false
	}
	next := s.nextWord(i)
	return cutBefore[strings.ToLower(next)] || words >= firstChunkMaxWords
}

// sentenceLongerThan reports whether more than n words follow token i
// before its sentence ends.
func (s *Script) sentenceLongerThan(i, n int) bool {
	count := 0
	for _, t := range s.tokens[i+1:] {
		count += len(t.Words)
		if count > n {
			return true
		}
		if t.Break >= normalize.Sentence {
			return false
		}
	}
	return false
}

func (s *Script) nextWord(i int) string {
	for _, t := range s.tokens[i+1:] {
		if len(t.Words) > 0 {
			return t.Words[0]
		}
	}
	return ""
}

// textRange is the byte range of the text chunk i covers: from where the
// chunk before it ends to the start of the next chunk's first token (the
// whole text over all chunks).
func (s *Script) textRange(i int) (start, end int) {
	if i > 0 {
		start = s.tokens[s.chunks[i].wordToken[0]].Start
	}
	end = len(s.text)
	if i+1 < len(s.chunks) {
		end = s.tokens[s.chunks[i+1].wordToken[0]].Start
	}
	return start, end
}
