package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzText: no input panics; tokens are in order, inside the text and
// apart; every word is plain ASCII the synthesizer reads, with a letter;
// and the reading stays proportional to the text (a few words per byte).
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"", " ", "Hello, world.", "$5.50 on 2024-03-15 at 3:45pm", "Dr. Smith's 21st—“café” 50%",
		"https://www.example.com/a/b?c=d ann@example.com", "1,234,567.89 -5 .5 007 1990s '80s 10-20",
		"Chapter XIV… Henry VIII", "我们 Привет ١٢٣ 🎉", "\xff\xfe bad utf8 \xc3", "----—–…", "U.S.A. e.g. St. No. 5",
		"99999999999999999999999999", "$$$5 5$ €-3bn £0.00 ¥", "12:99 25:00 0:00am", "\n\n\n\t\u200b\u00a0",
		"5km 5 km -3.5°C 1 mph", "03/15/24 15/03/2024 99/99/9999",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Text(s)
		prevEnd, words := 0, 0
		for _, tk := range toks {
			if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(s) ||
				tk.CoreStart < tk.Start || tk.CoreEnd < tk.CoreStart || tk.CoreEnd > tk.End {
				t.Fatalf("token span %d–%d after %d in %d bytes", tk.Start, tk.End, prevEnd, len(s))
			}
			prevEnd = tk.End
			for _, w := range tk.Words {
				if !hasLetter(w) || len(w) > maxWordLen || strings.IndexFunc(w, func(r rune) bool {
					return !(r < utf8.RuneSelf && (isASCIILetter(byte(r)) || r == '\'' || r == '-'))
				}) >= 0 {
					t.Fatalf("word %q of %q is not plain ASCII", w, s[tk.Start:tk.End])
				}
			}
			words += len(tk.Words)
		}
		if words > 4*len(s)+4 {
			t.Fatalf("%d words from %d bytes", words, len(s))
		}
		_ = Spoken(toks)
	})
}
