package app

// Alignment gives every character of a text the time it is spoken, as
// clients that highlight text character by character want it (the
// ElevenLabs "with-timestamps" alignment): Characters[i] is spoken from
// Start[i] to End[i] seconds. Characters are Unicode code points; the
// three slices have the same length.
type Alignment struct {
	Characters []string
	Start, End []float64
}

// AlignCharacters times every character of a stream part's text. The
// characters of a word share its span evenly; those between words (spaces,
// punctuation, words the engine could not read) share the time between
// the words around them, and those after the last word the rest of the
// part (its pause). Start and End never decrease from one character to
// the next, and the parts of a stream align to one contiguous timeline.
func AlignCharacters(p SpeechPart) Alignment {
	runes := []rune(p.Text)
	a := Alignment{Characters: make([]string, len(runes)), Start: make([]float64, len(runes)), End: make([]float64, len(runes))}
	for i, r := range runes {
		a.Characters[i] = string(r)
	}
	at, t := 0, p.Start // next character to time, and the time it starts
	for _, w := range p.Words {
		off := min(max(w.Offset-p.TextStart, at), len(runes))
		end := min(off+w.Length, len(runes))
		spread(a, at, off, t, max(w.Start, t))
		spread(a, off, end, max(w.Start, t), max(w.End, w.Start, t))
		at, t = end, max(w.End, w.Start, t)
	}
	spread(a, at, len(runes), t, max(p.End, t))
	return a
}

// spread gives characters [from, to) equal shares of [start, end].
func spread(a Alignment, from, to int, start, end float64) {
	n := to - from
	for k := 0; k < n; k++ {
		a.Start[from+k] = start + (end-start)*float64(k)/float64(n)
		a.End[from+k] = start + (end-start)*float64(k+1)/float64(n)
	}
}

// Append adds b's characters after a's, as for the parts of one stream.
func (a *Alignment) Append(b Alignment) {
	a.Characters = append(a.Characters, b.Characters...)
	a.Start = append(a.Start, b.Start...)
	a.End = append(a.End, b.End...)
}
