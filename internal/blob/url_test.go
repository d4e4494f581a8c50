package blob_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/blob"
)

func TestParseURL(t *testing.T) {
	ok := []struct {
		in   string
		want blob.Location
	}{
		{"file:///var/lib/voxclone/blobs", blob.Location{Dir: "/var/lib/voxclone/blobs"}},
		{"file://localhost/srv/b/../blobs/", blob.Location{Dir: "/srv/blobs"}},
		{"s3://voice-data", blob.Location{S3: &blob.S3Location{Bucket: "voice-data"}}},
		{"s3://voice-data/tenants/a/?region=eu-west-1", blob.Location{S3: &blob.S3Location{
			Bucket: "voice-data", Prefix: "tenants/a/", Region: "eu-west-1"}}},
		{"s3://vox?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true", blob.Location{S3: &blob.S3Location{
			Bucket: "vox", Endpoint: "http://127.0.0.1:9000", Region: "us-east-1", PathStyle: true}}},
		{"s3://vox?endpoint=https%3A%2F%2Facct.r2.cloudflarestorage.com&region=auto&path_style=0", blob.Location{S3: &blob.S3Location{
			Bucket: "vox", Endpoint: "https://acct.r2.cloudflarestorage.com", Region: "auto"}}},
	}
	for _, c := range ok {
		got, err := blob.ParseURL(c.in)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", c.in, err)
			continue
		}
		if got.Dir != c.want.Dir || (got.S3 == nil) != (c.want.S3 == nil) || (got.S3 != nil && *got.S3 != *c.want.S3) {
			t.Errorf("ParseURL(%q) = %+v %+v, want %+v %+v", c.in, got, got.S3, c.want, c.want.S3)
		}
	}
	bad := []struct{ in, says string }{
		{"", "no scheme"},
		{"/var/lib/blobs", "no scheme"},
		{"gs://bucket", `unknown scheme "gs"`},
		{"s4://bucket", `unknown scheme "s4"`},
		{"s3://", "missing bucket"},
		{"s3:///prefix", "missing bucket"},
		{"s3://Bucket", "not a valid bucket name"},
		{"s3://ab", "not a valid bucket name"},
		{"s3://a..b", "not a valid bucket name"},
		{"s3://b-1?path_style=yes", `path_style "yes" is not true or false`},
		{"s3://b-1?path_style=", `path_style "" is not true or false`},
		{"s3://b-1?pathstyle=true", `unknown parameter "pathstyle"`},
		{"s3://b-1?region=a&region=b", `parameter "region" given 2 times`},
		{"s3://b-1?endpoint=minio:9000", "is not an http:// or https:// URL"},
		{"s3://b-1?endpoint=ftp://h", "is not an http:// or https:// URL"},
		{"s3://b-1?region=us%20east", "is not a region name"},
		{"s3://b-1/a/../b", "is not a clean path"},
		{"s3://b-1/a//b", "is not a clean path"},
		{"s3://key:secret@b-1", "user info"},
		{"file://./blobs", `file URL with host "."`},
		{"file:blobs", "opaque"},
		{"file:///x?mode=1", "takes no parameters"},
		{"file:///x#frag", "fragments"},
		{"s3://b-1?%zz", "parameters"},
	}
	for _, c := range bad {
		_, err := blob.ParseURL(c.in)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("ParseURL(%q) error = %v, want one saying %q", c.in, err, c.says)
		}
	}
}

// FuzzParseURL: whatever the input, ParseURL either fails or returns one
// location that is well formed, and parsing is deterministic.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"file:///var/lib/voxclone", "file://localhost/a/../b", "s3://vox", "s3://vox/p/q/",
		"s3://vox?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true",
		"s3://vox?path_style=maybe", "s3://vox?x=1&x=2", "s3://", "gs://b", "s3://vox?endpoint=%zz",
		"s3://v\x00x", "file:///\x00", "s3://vox/..", "s3://a.b-c?region=auto",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		loc, err := blob.ParseURL(raw)
		_, err2 := blob.ParseURL(raw)
		if (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("ParseURL(%q) not deterministic: %v / %v", raw, err, err2)
		}
		if err != nil {
			return
		}
		if (loc.Dir == "") == (loc.S3 == nil) {
			t.Fatalf("ParseURL(%q) = %+v: want exactly one of a directory and a bucket", raw, loc)
		}
		if loc.Dir != "" && (!strings.HasPrefix(loc.Dir, "/") || strings.Contains(loc.Dir, "/../")) {
			t.Fatalf("ParseURL(%q): directory %q is not absolute and clean", raw, loc.Dir)
		}
		if s := loc.S3; s != nil {
			if len(s.Bucket) < 3 || len(s.Bucket) > 63 || strings.ContainsAny(s.Bucket, "/:@?#") {
				t.Fatalf("ParseURL(%q): bucket %q", raw, s.Bucket)
			}
			if s.Prefix != "" && (!strings.HasSuffix(s.Prefix, "/") || strings.HasPrefix(s.Prefix, "/") ||
				strings.Contains(s.Prefix, "..") || strings.Contains(s.Prefix, "//")) {
				t.Fatalf("ParseURL(%q): prefix %q", raw, s.Prefix)
			}
			if s.Endpoint != "" {
				if u, err := url.Parse(s.Endpoint); err != nil || u.Host == "" {
					t.Fatalf("ParseURL(%q): endpoint %q", raw, s.Endpoint)
				}
			}
		}
	})
}
