package elevenlabs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// TestTimedLines feeds the stream-with-timestamps writer what a stream
// does, parts' timings each before their audio, and checks the lines
// cover the text as sent, white space around it included, and the audio.
func TestTimedLines(t *testing.T) {
	text := "  Hi there. Bye!\n"
	parts := []app.SpeechPart{
		{Start: 0, End: 1, Text: "Hi there. ", TextStart: 0, Words: []app.WordTiming{
			{Text: "Hi", Start: 0.1, End: 0.3, Offset: 0, Length: 2}, {Text: "there", Start: 0.35, End: 0.7, Offset: 3, Length: 5}}},
		{Start: 1, End: 1.5, Text: "Bye!", TextStart: 10, Words: []app.WordTiming{{Text: "Bye", Start: 1.05, End: 1.3, Offset: 10, Length: 3}}},
	}
	var out bytes.Buffer
	lines := &timedLines{w: &out, edges: edgesOf(text)}
	lines.part(parts[0])
	lines.Write([]byte("abc"))
	lines.Write([]byte("def"))
	lines.part(parts[1])
	lines.Write([]byte("ghi"))
	if err := lines.end(1.5); err != nil {
		t.Fatal(err)
	}
	var audio []byte
	var chars []string
	last := 0.0
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var c timedAudio
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		b, _ := base64.StdEncoding.DecodeString(c.AudioBase64)
		audio = append(audio, b...)
		if c.Alignment == nil {
			continue
		}
		chars = append(chars, c.Alignment.Characters...)
		for i, s := range c.Alignment.Starts {
			if s < last || c.Alignment.Ends[i] < s || c.Alignment.Ends[i] > 1.5 {
				t.Errorf("character %q at %v–%v after %v", c.Alignment.Characters[i], s, c.Alignment.Ends[i], last)
			}
			last = s
		}
	}
	if string(audio) != "abcdefghi" || strings.Join(chars, "") != text {
		t.Errorf("lines carry audio %q and characters %q, want all of %q", audio, strings.Join(chars, ""), text)
	}
}

func TestEdges(t *testing.T) {
	for text, want := range map[string]edges{"  a b \n": {"  ", " \n"}, "ab": {}, " ": {" ", ""}, "": {}} {
		if got := edgesOf(text); got != want {
			t.Errorf("edgesOf(%q) = %q, want %q", text, got, want)
		}
	}
}
