package openai

import (
	"testing"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/app"
)

// FuzzParseSpeech feeds arbitrary bodies to the speech request parser: it
// must never panic, refuse only with a client error, and accept only
// requests within every limit.
func FuzzParseSpeech(f *testing.F) {
	for _, s := range []string{
		`{"model":"tts-1","input":"Hello.","voice":"Anna"}`,
		`{"model":"gpt-4o-mini-tts","input":"Hi","voice":{"id":"abc"},"response_format":"pcm","speed":0.3,"stream_format":"sse"}`,
		`{"model":"tts-1","input":"Hi","voice":"x","speed":1e308}`,
		`{"model":"tts-1","input":"\u0000","voice":[]}`,
		`{"voice":{"id":{"id":1}}}`, `null`, `{}`, `{"input":"` + "\xff\xfe" + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := ParseSpeech(data, 50)
		if err != nil {
			switch app.ErrorCode(err) {
			case app.EInvalid, app.ETooLarge:
			default:
				t.Fatalf("error code %q for %q: %v", app.ErrorCode(err), data, err)
			}
			return
		}
		n := utf8.RuneCountInString(req.Input)
		if n == 0 || n > 50 || req.Voice == "" || req.Format.Service == "" || req.Speed < 0.5 || req.Speed > 2 {
			t.Fatalf("accepted %q as %+v", data, req)
		}
	})
}
