package app

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// EncodeCursor makes the opaque NextCursor string for a history position:
// base64url of "<unix microseconds>.<id>". Clients must not parse it.
func EncodeCursor(c HistoryCursor) string {
	raw := strconv.FormatInt(c.CreatedAt.UnixMicro(), 10) + "." + c.ID
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeCursor parses a cursor made by EncodeCursor; anything else is
// EInvalid.
func DecodeCursor(s string) (HistoryCursor, error) {
	bad := Errorf(EInvalid, "Invalid cursor: pass the next_cursor of the previous page as it came, or start again without one.")
	if len(s) > 128 {
		return HistoryCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return HistoryCursor{}, bad
	}
	us, id, ok := strings.Cut(string(raw), ".")
	if !ok || len(id) != 32 || !isLowerHex(id) {
		return HistoryCursor{}, bad
	}
	n, err := strconv.ParseInt(us, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != us {
		return HistoryCursor{}, bad
	}
	return HistoryCursor{CreatedAt: time.UnixMicro(n).UTC(), ID: id}, nil
}
