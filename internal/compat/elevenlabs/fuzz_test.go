package elevenlabs

import (
	"bytes"
	"io"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/app"
)

// FuzzParseTTS feeds arbitrary bodies and queries to the text-to-speech
// parser: no panic, only client errors, and whatever it accepts is within
// every limit.
func FuzzParseTTS(f *testing.F) {
	f.Add([]byte(`{"text":"Hello.","model_id":"eleven_v3","voice_settings":{"similarity_boost":0.5,"speed":1.2}}`), "output_format=ulaw_8000")
	f.Add([]byte(`{"text":"Hi","voice_settings":{"speed":1e309}}`), "output_format=mp3_44100_128&enable_logging=false")
	f.Add([]byte(`{"text":null,"voice_settings":null}`), "output_format=%zz")
	f.Add([]byte(`{"text":"\u00e9","model_id":7}`), "")
	f.Fuzz(func(t *testing.T, body []byte, rawQuery string) {
		q, _ := url.ParseQuery(rawQuery)
		req, err := ParseTTS(body, q, 40)
		if err != nil {
			if c := app.ErrorCode(err); c != app.EInvalid && c != app.ETooLarge {
				t.Fatalf("code %q: %v", c, err)
			}
			return
		}
		n := utf8.RuneCountInString(req.Text)
		if n == 0 || n > 40 || req.Format.Service == "" || req.ModelID == "" || (req.Speed != 0 && (req.Speed < 0.5 || req.Speed > 2)) ||
			(req.Similarity != nil && (*req.Similarity < 0 || *req.Similarity > 1)) {
			t.Fatalf("accepted %q?%s as %+v", body, rawQuery, req)
		}
	})
}

// FuzzParseSearch feeds arbitrary queries to GET /v2/voices: no panic,
// only client errors, and pages within bounds.
func FuzzParseSearch(f *testing.F) {
	f.Add("page_size=5&next_page_token=" + encodeToken(5) + "&sort=name&search=a")
	f.Add("next_page_token=" + encodeToken(1<<62))
	f.Add("voice_ids=a&voice_ids=b&category=cloned&voice_type=saved")
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		s, err := ParseSearch(q)
		if err != nil {
			if app.ErrorCode(err) != app.EInvalid {
				t.Fatalf("code %q: %v", app.ErrorCode(err), err)
			}
			return
		}
		p := s.page(testVoices(30))
		if len(p.Voices) > s.PageSize || s.PageSize < 1 || s.PageSize > maxPageSize || s.Offset < 0 {
			t.Fatalf("%s: %d voices, query %+v", raw, len(p.Voices), s)
		}
	})
}

// FuzzWAVBody writes arbitrary bytes, in two pieces, through the WAV
// header stripper: it must not panic, hold more than its bound, or pass
// on anything before a data chunk.
func FuzzWAVBody(f *testing.F) {
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00................data\x04\x00\x00\x00abcd"), 20)
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEjunk\xff\xff\xff\xff"), 3)
	f.Fuzz(func(t *testing.T, data []byte, cut int) {
		var out bytes.Buffer
		b := &wavBody{w: &out}
		cut = min(max(cut, 0), len(data))
		if _, err := b.Write(data[:cut]); err == nil {
			_, _ = b.Write(data[cut:])
		}
		if len(b.header) > maxWAVHeader+len(data) || (out.Len() > 0 && !bytes.Contains(data, []byte("data"))) {
			t.Fatalf("held %d, passed %d of %q", len(b.header), out.Len(), data)
		}
		_, _ = io.Copy(io.Discard, &out)
	})
}
