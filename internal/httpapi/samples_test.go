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

// TestParseUploadBroken: a form cut off in the middle of a part, or not
// a multipart body at all, is EInvalid with a message saying what to do
// (it used to say only "Could not read the audio file." or "Malformed
// multipart body.").
func TestParseUploadBroken(t *testing.T) {
	audio, audioCT := multipartBody(t, [3]string{"audio", "a.wav", strings.Repeat("x", 50)})
	name, nameCT := multipartBody(t, [3]string{"audio", "a.wav", "x"}, [3]string{"name", "", strings.Repeat("n", 50)})
	for _, tt := range []struct {
		name, body, ct, want string
	}{
		{"ErrAudioCutOff", string(audio[:bytes.Index(audio, []byte("xxxx"))+10]), audioCT, "send the whole file again"},
		{"ErrFieldCutOff", string(name[:bytes.Index(name, []byte("nnnn"))+10]), nameCT, `"name" field: send the whole form again`},
		{"ErrNotAForm", "no parts here at all", audioCT, `multipart/form-data in the "audio" field`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseUpload(strings.NewReader(tt.body), tt.ct, 100)
			if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), tt.want) {
				t.Errorf("%v (%s), want invalid saying %q", err, app.ErrorCode(err), tt.want)
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
