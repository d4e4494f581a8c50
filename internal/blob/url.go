package blob

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Location is where blobs live, parsed from a VOXCLONE_BLOB_URL by
// ParseURL: a directory (Dir) or an S3 bucket (S3).
type Location struct {
	Dir string      // for file:// URLs: an absolute, clean path
	S3  *S3Location // for s3:// URLs
}

// S3Location names a bucket on an S3-compatible server.
type S3Location struct {
	Bucket string
	// Prefix is put before every key, so that the service can share a
	// bucket: "" or a clean path ending in "/".
	Prefix string
	// Endpoint is the server's base URL (http or https), "" for AWS.
	Endpoint string
	// Region is the signing region, "" for the SDK's default (AWS_REGION).
	Region string
	// PathStyle puts the bucket in the path rather than the host name,
	// as MinIO, SeaweedFS and Garage usually need.
	PathStyle bool
}

// bucketPattern is S3's rule for bucket names, which also suits R2, MinIO
// and Garage: 3–63 lowercase letters, digits, dots and hyphens, starting
// and ending with a letter or digit.
var bucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ParseURL parses a blob store URL: file:///absolute/path or
// s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style=BOOL, every query
// parameter optional. Anything else, an unknown or repeated parameter, or
// a malformed value is an error that says what is wrong.
func ParseURL(raw string) (Location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Location{}, fmt.Errorf("blob URL: %w", errors.Unwrap(err))
	}
	if u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return Location{}, errors.New("blob URL: user info, fragments and opaque URLs are not allowed")
	}
	switch u.Scheme {
	case "file":
		return parseFile(u)
	case "s3":
		loc, err := parseS3(u)
		return Location{S3: loc}, err
	case "":
		return Location{}, fmt.Errorf("blob URL %q has no scheme: want file:///path or s3://bucket", raw)
	}
	return Location{}, fmt.Errorf("blob URL: unknown scheme %q: want file or s3", u.Scheme)
}

func parseFile(u *url.URL) (Location, error) {
	if u.Host != "" && u.Host != "localhost" {
		return Location{}, fmt.Errorf("blob URL: file URL with host %q: want file:///absolute/path", u.Host)
	}
	if u.RawQuery != "" || u.ForceQuery {
		return Location{}, errors.New("blob URL: a file URL takes no parameters")
	}
	if !path.IsAbs(u.Path) || strings.ContainsRune(u.Path, 0) {
		return Location{}, fmt.Errorf("blob URL: file path %q is not absolute: want file:///absolute/path", u.Path)
	}
	return Location{Dir: path.Clean(u.Path)}, nil
}

func parseS3(u *url.URL) (*S3Location, error) {
	if u.Host == "" {
		return nil, errors.New("blob URL: missing bucket: want s3://bucket")
	}
	if !bucketPattern.MatchString(u.Host) || strings.Contains(u.Host, "..") {
		return nil, fmt.Errorf("blob URL: %q is not a valid bucket name (3–63 lowercase letters, digits, dots and hyphens)", u.Host)
	}
	loc := &S3Location{Bucket: u.Host}
	if p := strings.Trim(u.Path, "/"); p != "" {
		if path.Clean(p) != p || strings.Contains(p, "..") || strings.ContainsAny(p, "\x00\\") {
			return nil, fmt.Errorf("blob URL: key prefix %q is not a clean path", p)
		}
		loc.Prefix = p + "/"
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("blob URL: parameters: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(q)) { // the same error for the same URL
		vals := q[name]
		if len(vals) != 1 {
			return nil, fmt.Errorf("blob URL: parameter %q given %d times", name, len(vals))
		}
		if err := loc.set(name, vals[0]); err != nil {
			return nil, err
		}
	}
	return loc, nil
}

// set applies one query parameter.
func (l *S3Location) set(name, v string) error {
	switch name {
	case "endpoint":
		e, err := url.Parse(v)
		if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" || e.User != nil ||
			e.RawQuery != "" || e.Fragment != "" {
			return fmt.Errorf("blob URL: endpoint %q is not an http:// or https:// URL of a server", v)
		}
		l.Endpoint = v
	case "region":
		if v == "" || len(v) > 64 || strings.ContainsFunc(v, func(r rune) bool {
			return !(r == '-' || r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9'))
		}) {
			return fmt.Errorf("blob URL: region %q is not a region name such as us-east-1 or auto", v)
		}
		l.Region = v
	case "path_style":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("blob URL: path_style %q is not true or false", v)
		}
		l.PathStyle = b
	default:
		return fmt.Errorf("blob URL: unknown parameter %q: want endpoint, region or path_style", name)
	}
	return nil
}
