package httpapi

import "testing"

// FuzzRequestID: a proxy's X-Request-Id is kept only when it is short and
// plain, so it cannot carry newlines into logs or markup into the web app.
func FuzzRequestID(f *testing.F) {
	for _, s := range []string{"", "edge-7f3a", "a.b_c-D9", "x\r\nSet-Cookie: a=b", "<script>", "é", string(make([]byte, 65))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !validRequestID(s) {
			return
		}
		if len(s) == 0 || len(s) > 64 {
			t.Fatalf("accepted %q of length %d", s, len(s))
		}
		for _, c := range []byte(s) {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
				t.Fatalf("accepted %q with byte %q", s, c)
			}
		}
	})
}
