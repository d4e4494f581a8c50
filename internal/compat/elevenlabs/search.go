package elevenlabs

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

// Search paging limits, as ElevenLabs has them.
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

// SearchQuery is a checked GET /v2/voices query.
type SearchQuery struct {
	Offset     int
	PageSize   int
	Search     string // lower-cased; matches name, description or category
	SortByName bool   // else by creation time
	Ascending  bool
	Cloned     bool // the query can match the caller's cloned voices
	Premade    bool // … and the built-in ones
	VoiceIDs   []string
	TotalCount bool
}

// ParseSearch reads the query of GET /v2/voices. Filters voxclone has no
// data for (gender, age, accent, language, …) are ignored.
func ParseSearch(q url.Values) (SearchQuery, error) {
	s := SearchQuery{PageSize: defaultPageSize, Search: strings.ToLower(strings.TrimSpace(q.Get("search")))}
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			return s, compat.Fieldf("page_size", app.EInvalid, "page_size must be a whole number from 1 to %d.", maxPageSize)
		}
		s.PageSize = n
	}
	if tok := q.Get("next_page_token"); tok != "" {
		n, ok := decodeToken(tok)
		if !ok {
			return s, compat.Fieldf("next_page_token", app.EInvalid, "next_page_token is not one this server gave out.")
		}
		s.Offset = n
	}
	switch q.Get("sort") {
	case "", "created_at_unix":
	case "name":
		s.SortByName, s.Ascending = true, true
	default:
		return s, compat.Fieldf("sort", app.EInvalid, "sort must be created_at_unix or name.")
	}
	switch q.Get("sort_direction") {
	case "":
	case "asc", "desc":
		s.Ascending = q.Get("sort_direction") == "asc"
	default:
		return s, compat.Fieldf("sort_direction", app.EInvalid, "sort_direction must be asc or desc.")
	}
	s.Cloned, s.Premade = matches(q.Get("voice_type"), q.Get("category"))
	s.VoiceIDs = q["voice_ids"]
	s.TotalCount = q.Get("include_total_count") == "true"
	return s, nil
}

// matches reports whether a voice_type and category admit the caller's
// cloned voices and the built-in (premade) ones.
func matches(voiceType, category string) (cloned, premade bool) {
	switch voiceType {
	case "":
		cloned, premade = true, true
	case "personal", "non-default", "non-community", "saved":
		cloned = true
	case "default":
		premade = true
	}
	switch category {
	case "":
	case "cloned":
		premade = false
	case "premade":
		cloned = false
	default:
		cloned, premade = false, false
	}
	return cloned, premade
}

// encodeToken and decodeToken make the opaque next_page_token: the offset
// of the next page.
func encodeToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(offset)))
}

func decodeToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 2 || b[0] != 'o' {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[1:]))
	return n, err == nil && n >= 0
}

// searchPage is GET /v2/voices' answer.
type searchPage struct {
	Voices        []Voice `json:"voices"`
	HasMore       bool    `json:"has_more"`
	TotalCount    int     `json:"total_count"`
	NextPageToken *string `json:"next_page_token"`
}

// page filters, sorts and pages voices by q.
func (q SearchQuery) page(voices []Voice) searchPage {
	var hits []Voice
	for _, v := range voices {
		if q.matches(v) {
			hits = append(hits, v)
		}
	}
	slices.SortStableFunc(hits, func(a, b Voice) int {
		c := int(a.CreatedAtUnix - b.CreatedAtUnix)
		if q.SortByName {
			c = strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		}
		if !q.Ascending {
			c = -c
		}
		return c
	})
	p := searchPage{Voices: []Voice{}, TotalCount: len(hits)}
	if q.Offset < len(hits) {
		end := min(q.Offset+q.PageSize, len(hits))
		p.Voices = hits[q.Offset:end]
		if end < len(hits) {
			tok := encodeToken(end)
			p.HasMore, p.NextPageToken = true, &tok
		}
	}
	return p
}

func (q SearchQuery) matches(v Voice) bool {
	if (v.Category == "premade" && !q.Premade) || (v.Category != "premade" && !q.Cloned) ||
		(len(q.VoiceIDs) > 0 && !slices.Contains(q.VoiceIDs, v.VoiceID)) {
		return false
	}
	return q.Search == "" || strings.Contains(strings.ToLower(v.Name), q.Search) ||
		strings.Contains(strings.ToLower(v.Description), q.Search) || strings.Contains(v.Category, q.Search)
}

// SearchVoices serves GET /v2/voices: the caller's voices filtered,
// sorted and paged by next_page_token.
func (h *Handler) SearchVoices(w http.ResponseWriter, r *http.Request, u app.User) {
	q, err := ParseSearch(r.URL.Query())
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	list, err := h.voices(r, u)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	h.writeJSON(w, http.StatusOK, q.page(list))
}
