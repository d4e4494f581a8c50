package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 192.0.2.7 fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, remote string
		xff          []string
		trusted      []netip.Prefix
		want         string
	}{
		{"IPv4", "198.51.100.4:5123", nil, trusted, "198.51.100.4"},
		{"IPv6Is64", "[2001:db8:a:b:1:2:3:4]:443", nil, trusted, "2001:db8:a:b::/64"},
		{"IPv4MappedIPv6", "[::ffff:198.51.100.4]:1", nil, trusted, "198.51.100.4"},
		{"ZoneDropped", "[fe80::1%eth0]:1", nil, nil, "fe80::/64"},
		{"NotIP", "@", nil, nil, ""},
		{"HeaderIgnoredByDefault", "198.51.100.4:1", []string{"203.0.113.9"}, nil, "198.51.100.4"},
		{"HeaderIgnoredFromUntrustedPeer", "198.51.100.4:1", []string{"203.0.113.9"}, trusted, "198.51.100.4"},
		{"TrustedPeer", "10.1.2.3:1", []string{"203.0.113.9"}, trusted, "203.0.113.9"},
		{"RightMostUntrusted", "10.1.2.3:1", []string{"1.1.1.1, 203.0.113.9, 192.0.2.7"}, trusted, "203.0.113.9"},
		{"SeveralHeaders", "10.1.2.3:1", []string{"1.1.1.1", "203.0.113.9", "10.0.0.2"}, trusted, "203.0.113.9"},
		{"PortInHeader", "10.1.2.3:1", []string{"[2001:db8::1]:80"}, trusted, "2001:db8::/64"},
		{"GarbageStopsAtLastHop", "10.1.2.3:1", []string{"203.0.113.9, nonsense, 10.0.0.2"}, trusted, "10.0.0.2"},
		{"AllTrusted", "10.1.2.3:1", []string{"10.0.0.1, 10.0.0.2"}, trusted, "10.0.0.1"},
		{"NoHeader", "10.1.2.3:1", nil, trusted, "10.1.2.3"},
		{"EmptyHeader", "10.1.2.3:1", []string{""}, trusted, "10.1.2.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/auth/login", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, tt.trusted); got != tt.want {
				t.Errorf("clientAddr(%q, %q) = %q, want %q", tt.remote, tt.xff, got, tt.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.1.2.3/8,::1 , 2001:db8::/32,")
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("2001:db8::/32")}
	if err != nil || len(got) != len(want) {
		t.Fatalf("ParseTrustedProxies = %v, %v; want %v", got, err, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("prefix %d = %v, want %v", i, got[i], want[i])
		}
	}
	if got, err := ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Errorf("empty list: %v, %v", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.local", "10.0.0.1:80", "fe80::1%eth0"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted", bad)
		}
	}
}

// FuzzClientAddr feeds arbitrary peers and X-Forwarded-For headers: the
// result is always "" or a short address or /64 prefix.
func FuzzClientAddr(f *testing.F) {
	trusted, _ := ParseTrustedProxies("0.0.0.0/0, ::/0")
	for _, s := range [][2]string{
		{"10.0.0.1:1", "203.0.113.9, 10.0.0.2"}, {"[::1]:1", "[2001:db8::1]:80"}, {"@", ","},
		{"1.2.3.4", strings.Repeat("1.1.1.1,", 100)}, {"[fe80::1%25x]:1", "::ffff:1.2.3.4%x"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		for _, tr := range [][]netip.Prefix{nil, trusted} {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = remote
			r.Header.Set("X-Forwarded-For", xff)
			got := clientAddr(r, tr)
			if len(got) > 64 || strings.ContainsAny(got, " ,%") {
				t.Fatalf("clientAddr(%q, %q) = %q", remote, xff, got)
			}
			if got != "" {
				if _, err := netip.ParseAddr(got); err != nil {
					if _, err := netip.ParsePrefix(got); err != nil {
						t.Fatalf("clientAddr(%q, %q) = %q: neither address nor prefix", remote, xff, got)
					}
				}
			}
		}
	})
}

func FuzzParseTrustedProxies(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8, 192.0.2.7", "::1", "fd00::/8", "1.2.3.4/99", ",,,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParseTrustedProxies(s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if !p.IsValid() || p != p.Masked() {
				t.Fatalf("ParseTrustedProxies(%q) gave %v", s, p)
			}
		}
	})
}
