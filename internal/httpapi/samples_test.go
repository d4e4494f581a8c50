package httpapi

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// multipartBody builds a form; parts are name, filename ("" for a plain
// field), content triples.
func multipartBody(t testing.TB, parts ...[3]string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w interface{ Write([]byte) (int, error) }
		var err error
		if p[1] != "" {
			w, err = mw.CreateFormFile(p[0], p[1])
		} else {
			w, err = mw.CreateFormField(p[0])
		}
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[2]))
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func TestParseUpload(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		body, ct := multipartBody(t, [3]string{"transcript", "", " hello there "}, [3]string{"audio", "me.wav", "RIFFdata"}, [3]string{"name", "", "Mine"})
		form, err := parseUpload(bytes.NewReader(body), ct, 100)
		if err != nil {
			t.Fatal(err)
		}
		if string(form.Audio) != "RIFFdata" || form.Transcript != "hello there" || form.Name != "Mine" || form.FileName != "me.wav" {
			t.Errorf("form = %+v", form)
		}
	})
	tests := []struct {
		name  string
		parts [][3]string
		ct    string
		code  string
	}{
		{"ErrNoAudio", [][3]string{{"name", "", "x"}}, "", app.EInvalid},
		{"ErrEmptyAudio", [][3]string{{"audio", "a.wav", ""}}, "", app.EInvalid},
		{"ErrTooLarge", [][3]string{{"audio", "a.wav", strings.Repeat("x", 101)}}, "", app.ETooLarge},
		{"ErrDuplicate", [][3]string{{"audio", "a.wav", "x"}, {"audio", "b.wav", "y"}}, "", app.EInvalid},
		{"ErrUnknownField", [][3]string{{"audio", "a.wav", "x"}, {"evil", "", "y"}}, "", app.EInvalid},
		{"ErrLongTranscript", [][3]string{{"audio", "a.wav", "x"}, {"transcript", "", strings.Repeat("w", maxFieldBytes+1)}}, "", app.EInvalid},
		{"ErrBadUTF8", [][3]string{{"audio", "a.wav", "x"}, {"name", "", "\xff\xfe"}}, "", app.EInvalid},
		{"ErrNotMultipart", [][3]string{{"audio", "a.wav", "x"}}, "application/json", app.EUnsupported},
		{"ErrNoBoundary", [][3]string{{"audio", "a.wav", "x"}}, "multipart/form-data", app.EUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartBody(t, tt.parts...)
			if tt.ct != "" {
				ct = tt.ct
			}
			_, err := parseUpload(bytes.NewReader(body), ct, 100)
			if got := app.ErrorCode(err); got != tt.code {
				t.Errorf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestSanitizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"../../etc/passwd", "passwd"},
		{`C:\Users\me\voice take 1.wav`, "voice take 1"},
		{"/", ""},
		{"..", ""},
		{".wav", ".wav"},
		{"a\x00b\nc.mp3", "abc"},
		{strings.Repeat("é", 300) + ".wav", strings.Repeat("é", maxDisplayName)},
		{"", ""},
	}
	for _, tt := range tests {
		if got := sanitizeName(tt.in); got != tt.want {
			t.Errorf("sanitizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzParseUpload feeds arbitrary multipart bodies to the upload parser: no
// panic, audio never over the limit, errors always carry an app code.
func FuzzParseUpload(f *testing.F) {
	seed := func(parts ...[3]string) {
		body, ct := multipartBody(f, parts...)
		_, params, _ := strings.Cut(ct, "boundary=")
		f.Add(body, params)
	}
	seed([3]string{"audio", "a.wav", "RIFF\x00\x00\x00\x00WAVE"}, [3]string{"transcript", "", "hi"})
	seed([3]string{"name", "", "n"}, [3]string{"audio", "../../etc/passwd", "x"})
	seed([3]string{"audio", "a.wav", strings.Repeat("z", 300)})
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"x\"\r\n\r\nabc\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=audio\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=41=\r\n--b--"), "b")
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		const limit = 256
		form, err := parseUpload(bytes.NewReader(body), "multipart/form-data; boundary=\""+boundary+"\"", limit)
		if err != nil {
			switch app.ErrorCode(err) {
			case app.EInvalid, app.ETooLarge, app.EUnsupported:
			default:
				t.Fatalf("parseUpload: %v, want an app error", err)
			}
			return
		}
		if len(form.Audio) == 0 || len(form.Audio) > limit {
			t.Fatalf("audio of %d bytes accepted with limit %d", len(form.Audio), limit)
		}
		if s := sanitizeName(form.FileName); strings.ContainsAny(s, "/\\\x00") {
			t.Fatalf("sanitizeName(%q) = %q keeps a separator", form.FileName, s)
		}
	})
}
