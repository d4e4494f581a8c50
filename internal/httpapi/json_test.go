package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat/compattest"
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
		// Names match exactly and once: encoding/json took any case and
		// the last of duplicates.
		{"ErrFieldCase", `{"Name":"a"}`, `Unknown field "Name"`},
		{"ErrFieldUpper", `{"NAME":"a"}`, `Unknown field "NAME"`},
		{"ErrDuplicate", `{"name":"a","name":"b"}`, `Field "name" appears more than once`},
		{"ErrDuplicateEscaped", `{"name":"a","n\u0061me":"b"}`, `Field "name" appears more than once`},
		{"ErrNotUTF8", "{\"name\":\"\xff\"}", "not valid UTF-8"},
		{"ErrWrongElement", `{"ids":[1]}`, `"ids/0" must be a string`},
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
		`{"MODEL_ID":"m","Text":"x"}`, `{"text":"a","text":"b"}`, `{"te\u0078t":"a"}`, "{\"text\":\"a\xffb\"}",
		`{"text":"a\u0000b"}`, `{"sample_rate":1e2}`, `{"speed":-0}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var in synthesizeRequest
		err := decodeJSON(data, &in)
		if err != nil {
			if app.ErrorCode(err) != app.EInvalid || app.ErrorMessage(err) == "" {
				t.Fatalf("decodeJSON(%q) = %v, want EInvalid", data, err)
			}
			return
		}
		// Accepted: UTF-8, each top-level name a field's exact name, once,
		// and encoding/json reads the same request from it.
		if !utf8.Valid(data) {
			t.Fatalf("decodeJSON accepted invalid UTF-8 %q", data)
		}
		known := compattest.JSONFields(reflect.TypeOf(in))
		seen := map[string]bool{}
		for _, name := range topLevelNames(t, data) {
			if !known[name] || seen[name] {
				t.Fatalf("decodeJSON(%q) accepted field %q (known %v, seen before %v)", data, name, known[name], seen[name])
			}
			seen[name] = true
		}
		var v1 synthesizeRequest
		if err := json.Unmarshal(data, &v1); err != nil || !reflect.DeepEqual(v1, in) {
			t.Fatalf("decodeJSON(%q) = %+v; encoding/json reads %+v, %v", data, in, v1, err)
		}
	})
}

// topLevelNames lists the member names of the JSON object data, in order
// and with repeats.
func topLevelNames(t *testing.T, data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("accepted body %q does not start an object: %v %v", data, tok, err)
	}
	var names []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("accepted body %q: %v", data, err)
		}
		names = append(names, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatalf("accepted body %q: %v", data, err)
		}
	}
	return names
}
