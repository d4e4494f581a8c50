package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

func TestDecodeJSON(t *testing.T) {
	type body struct {
		Name  string   `json:"name"`
		Speed float64  `json:"speed"`
		IDs   []string `json:"ids"`
	}
	tests := []struct {
		name, in, wantMsg string
	}{
		{"OK", `{"name":"a","speed":1.5,"ids":["x"]}`, ""},
		{"OKWhitespace", " \n{\"name\":\"a\"}\n ", ""},
		{"ErrEmpty", ``, "empty"},
		{"ErrNull", `null`, "JSON object"},
		{"ErrArray", `[1]`, "JSON object"},
		{"ErrUnknownField", `{"nme":"a"}`, `Unknown field "nme"`},
		{"ErrWrongType", `{"speed":"fast"}`, `"speed" must be a number`},
		{"ErrWrongArray", `{"ids":"x"}`, `"ids" must be an array`},
		{"ErrSyntax", `{"name":}`, "Malformed JSON at byte"},
		{"ErrTruncated", `{"name":"a"`, "ends early"},
		{"ErrTwoObjects", `{"name":"a"}{"name":"b"}`, "single JSON object"},
		{"ErrTrailing", `{"name":"a"} x`, "single JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b body
			err := decodeJSON([]byte(tt.in), &b)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("decodeJSON(%q) = %v", tt.in, err)
				}
				return
			}
			if app.ErrorCode(err) != app.EInvalid || !strings.Contains(app.ErrorMessage(err), tt.wantMsg) {
				t.Errorf("decodeJSON(%q) = %v, want invalid with %q", tt.in, err, tt.wantMsg)
			}
		})
	}
}

func TestReadJSON(t *testing.T) {
	t.Run("ErrTooLarge", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(`{"name":"`+strings.Repeat("a", 100)+`"}`))
		var v struct{ Name string }
		err := readJSON(httptest.NewRecorder(), req, 64, &v)
		if app.ErrorCode(err) != app.ETooLarge {
			t.Errorf("err = %v, want too_large", err)
		}
	})
	t.Run("ErrContentType", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var v struct{}
		if err := readJSON(httptest.NewRecorder(), req, 64, &v); app.ErrorCode(err) != app.EUnsupported {
			t.Errorf("err = %v, want unsupported_media", err)
		}
	})
	t.Run("OKCharset", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		var v struct{}
		if err := readJSON(httptest.NewRecorder(), req, 64, &v); err != nil {
			t.Errorf("err = %v", err)
		}
	})
}

// FuzzDecodeJSON feeds arbitrary bodies to the request decoder: it must
// never panic and must fail only with an EInvalid error carrying a message.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"model_id":"m","text":"hello","format":"wav","speed":1,"pitch":0,"similarity":0.7,"sample_rate":22050}`,
		`{"text":"\u00e9\ud83d\ude00"}`, `{"speed":1e400}`, `{"similarity":null}`, `{}`, `[]`, `null`, `{"a":1}`,
		`{"text":"x"}{}`, `{"text":` + strings.Repeat("[", 100), "\xff\xfe{}", `{"sample_rate":1.5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in synthesizeRequest
		err := decodeJSON(data, &in)
		if err == nil {
			return
		}
		if app.ErrorCode(err) != app.EInvalid || app.ErrorMessage(err) == "" {
			t.Fatalf("decodeJSON(%q) = %v, want EInvalid", data, err)
		}
	})
}
