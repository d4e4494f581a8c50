package normalize

import (
	"strings"
	"testing"
)

func TestSpoken(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Numbers.
		{"I have 3 cats", "I have three cats."},
		{"It costs 1,234,567 in total", "It costs one million two hundred thirty-four thousand five hundred sixty-seven in total."},
		{"pi is 3.14159", "pi is three point one four one five nine."},
		{"a drop of -5 degrees", "a drop of minus five degrees."},
		{"agent 007 reporting", "agent zero zero seven reporting."},
		{"card 4111111111111111111 now", "card four one one one one one one one one one one one one one one one one one one now."},
		{"only .5 left", "only point five left."},
		{"100 and 1000 and 2000000", "one hundred and one thousand and two million."},
		// Ordinals.
		{"the 1st, 2nd, 3rd and 4th", "the first, second, third and fourth."},
		{"her 21st and 112th birthday", "her twenty-first and one hundred twelfth birthday."},
		{"the 90th and 1,000th visit", "the ninetieth and one thousandth visit."},
		// Years, decades, ranges.
		{"In 1984 we left", "In nineteen eighty-four we left."},
		{"It was 2024.", "It was twenty twenty-four."},
		{"since 2005 and 1900", "since two thousand five and nineteen hundred."},
		{"There were 1500 people", "There were one thousand five hundred people."},
		{"the 1990s and the '80s", "the nineteen nineties and the eighties."},
		{"pages 10-20 and 1939–1945", "pages ten to twenty and nineteen thirty-nine to nineteen forty-five."},
		// Currency.
		{"It cost $5", "It cost five dollars."},
		{"only $1.01 or $0.99", "only one dollar and one cent or ninety-nine cents."},
		{"a £2.50 ticket and €10", "a two pounds and fifty pence ticket and ten euros."},
		{"raised $5 million", "raised five million dollars."},
		{"worth $2.5M or $3bn or $40k", "worth two point five million dollars or three billion dollars or forty thousand dollars."},
		{"about 5€ each", "about five euros each."},
		{"¥500 only", "five hundred yen only."},
		// Percentages and units.
		{"up 50% and 3.5%", "up fifty percent and three point five percent."},
		{"run 5km at 20°C", "run five kilometers at twenty degrees Celsius."},
		{"1 mph or 12 kg", "one mile per hour or twelve kilograms."},
		// Dates and times.
		{"Due 2024-03-15 please", "Due March fifteenth twenty twenty-four please."},
		{"on 03/15/2024 or 15/03/24", "on March fifteenth twenty twenty-four or March fifteenth twenty twenty-four."},
		{"On May 4, 1984 I", "On May fourth, nineteen eighty-four I."},
		{"the 4 July parade", "the the fourth of July parade."},
		{"at 3:45 or 3:05 pm", "at three forty-five or three oh five p m."},
		{"at 3:00 or 15:00 or 7am", "at three o'clock or fifteen hundred or seven a m."},
		{"at 12:30:15 sharp", "at twelve thirty and fifteen seconds sharp."},
		// Abbreviations.
		{"Dr. Smith met Mr. Jones", "Doctor Smith met Mister Jones."},
		{"Dr Who and Mrs Brown", "Doctor Who and Missus Brown."},
		{"St. Louis is on Main St. today", "Saint Louis is on Main Street today."},
		{"fruit, e.g. apples, etc.", "fruit, for example apples, et cetera."},
		{"cats vs. dogs, i.e. war", "cats versus dogs, that is war."},
		{"see No. 5 in Sept.", "see number five in September."},
		{"the U.S. and the U.K. agreed", "the U S and the U K agreed."},
		{"Chapter IV and Henry VIII and World War II", "Chapter four and Henry the eighth and World War two."},
		{"I am here", "I am here."},
		// Addresses.
		{"Mail ann.lee@example.com today", "Mail ann dot lee at example dot com today."},
		{"See https://www.example.com/docs/api?x=1 now", "See w w w dot example dot com slash docs slash api now."},
		{"visit voxclone.dev/help", "visit voxclone dot dev slash help."},
		// Symbols and words.
		{"AT&T and C++ and/or R&D", "AT and T and C plus plus and or R and D."},
		{"COVID-19 and #1 fan", "COVID nineteen and number one fan."},
		{"a well-known café in Zürich", "a well-known cafe in Zurich."},
		{"Straße and Ærø", "Strasse and AEro."},
		// Unicode punctuation and quotes.
		{"“Hello,” she said—“it’s late…”", "Hello, she said, it's late."},
		{"Wait – what? Yes!", "Wait, what? Yes!"},
		{"«Bonjour» and ‘quotes’", "Bonjour and quotes."},
		{"no\u00a0break\u200bspace", "no break space."},
		{"soft\u00adhyphen", "softhyphen."},
	} {
		if got := Spoken(Text(tc.in)); got != tc.want {
			t.Errorf("Spoken(Text(%q))\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestBreaks(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Break // the break after each token
	}{
		{"One two. Three four!", []Break{NoBreak, Sentence, NoBreak, Sentence}},
		{"Dr. Who is here. Mr. X left", []Break{NoBreak, NoBreak, NoBreak, Sentence, NoBreak, NoBreak, Sentence}},
		{"Yes, no; maybe: so", []Break{Clause, Clause, Clause, Sentence}},
		{"It is 3.5 km. Then", []Break{NoBreak, NoBreak, NoBreak, Sentence, Sentence}},
		{"see No. 5 now", []Break{NoBreak, NoBreak, NoBreak, Sentence}},
		{"End of one.\n\nStart of two", []Break{NoBreak, NoBreak, Paragraph, NoBreak, NoBreak, Sentence}},
		{"Chapter One\nIt was cold", []Break{NoBreak, Sentence, NoBreak, NoBreak, Sentence}},
		{"a line that wraps because it is long enough to be prose and\nGoes on", []Break{
			NoBreak, NoBreak, NoBreak, NoBreak, NoBreak, NoBreak, NoBreak, NoBreak, NoBreak, NoBreak, NoBreak,
			NoBreak, NoBreak, NoBreak, Sentence}},
		{"wait - what", []Break{Clause, Clause, Sentence}},
		{"so… then", []Break{Clause, Sentence}},
		{"approx. five", []Break{NoBreak, Sentence}},
		{"Why? “Because.” Then", []Break{Sentence, Sentence, Sentence}},
	} {
		toks := Text(tc.in)
		var got []Break
		for _, tk := range toks {
			got = append(got, tk.Break)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: %d tokens %v, want %d", tc.in, len(got), got, len(tc.want))
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: breaks %v, want %v", tc.in, got, tc.want)
				break
			}
		}
	}
}

// TestSpans: tokens cover the written words in order, with punctuation
// around them, and their spans slice the original text.
func TestSpans(t *testing.T) {
	const in = "  “Hello,” said Dr. Ann—twice… $5\n\n世界 ok "
	toks := Text(in)
	var got []string
	for _, tk := range toks {
		got = append(got, in[tk.Start:tk.End])
	}
	want := []string{"“Hello,”", "said", "Dr.", "Ann", "twice", "$5", "世界", "ok"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans %q, want %q", got, want)
	}
	if c := toks[0]; in[c.CoreStart:c.CoreEnd] != "Hello" || in[toks[2].CoreStart:toks[2].CoreEnd] != "Dr" {
		t.Errorf("cores %q and %q, want Hello and Dr", in[c.CoreStart:c.CoreEnd], in[toks[2].CoreStart:toks[2].CoreEnd])
	}
	if toks[6].Unread != 2 || len(toks[6].Words) != 0 {
		t.Errorf("Chinese token: %+v, want 2 unread letters and no words", toks[6])
	}
}

func TestUnread(t *testing.T) {
	for _, tc := range []struct {
		in            string
		words, unread int
	}{
		{"我们明天见", 0, 5},
		{"Привет мир", 0, 9},
		{"Hello 世界", 1, 2},
		{"naïve résumé", 2, 0},
		{"١٢٣ apples", 1, 3},
		{"🎉🎉 party", 1, 0},
	} {
		w, u := 0, 0
		for _, tk := range Text(tc.in) {
			w += len(tk.Words)
			u += tk.Unread
		}
		if w != tc.words || u != tc.unread {
			t.Errorf("%q: %d words, %d unread; want %d, %d", tc.in, w, u, tc.words, tc.unread)
		}
	}
}

func TestNumberWords(t *testing.T) {
	for n, want := range map[uint64]string{
		0: "zero", 7: "seven", 13: "thirteen", 40: "forty", 99: "ninety-nine", 100: "one hundred",
		101: "one hundred one", 999999: "nine hundred ninety-nine thousand nine hundred ninety-nine",
		1000001: "one million one", 5000000000000: "five trillion",
	} {
		if got := strings.Join(cardinalN(n), " "); got != want {
			t.Errorf("cardinal(%d) = %q, want %q", n, got, want)
		}
	}
	for in, want := range map[string]string{
		"one": "first", "twelve": "twelfth", "twenty": "twentieth", "forty-two": "forty-second",
		"hundred": "hundredth", "eight": "eighth", "nine": "ninth", "five": "fifth",
	} {
		if got := ordinal([]string{in})[0]; got != want {
			t.Errorf("ordinal(%s) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"1066": "ten sixty-six", "1905": "nineteen oh five", "2000": "two thousand", "2010": "twenty ten",
		"1800": "eighteen hundred", "2099": "twenty ninety-nine",
	} {
		if got := strings.Join(year(in), " "); got != want {
			t.Errorf("year(%s) = %q, want %q", in, got, want)
		}
	}
}
