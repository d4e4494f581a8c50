package elevenlabs

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

func testVoices(n int) []Voice {
	var out []Voice
	for i := range n {
		out = append(out, Voice{VoiceID: "v" + strconv.Itoa(i), Name: "Voice " + string(rune('A'+i%26)),
			Category: "cloned", CreatedAtUnix: int64(1000 + i)})
	}
	return out
}

func TestSearchPaging(t *testing.T) {
	voices := testVoices(25)
	seen := map[string]bool{}
	q := url.Values{"page_size": {"10"}, "include_total_count": {"true"}}
	last := int64(1 << 40)
	for pages := 0; ; pages++ {
		s, err := ParseSearch(q)
		if err != nil {
			t.Fatal(err)
		}
		p := s.page(voices)
		if p.TotalCount != 25 || len(p.Voices) > 10 || pages > 3 {
			t.Fatalf("page %d: %d voices of %d", pages, len(p.Voices), p.TotalCount)
		}
		for _, v := range p.Voices {
			if seen[v.VoiceID] || v.CreatedAtUnix > last {
				t.Fatalf("voice %s repeated or out of order (newest first)", v.VoiceID)
			}
			seen[v.VoiceID], last = true, v.CreatedAtUnix
		}
		if !p.HasMore {
			if p.NextPageToken != nil {
				t.Errorf("last page has a token")
			}
			break
		}
		q.Set("next_page_token", *p.NextPageToken)
	}
	if len(seen) != 25 {
		t.Errorf("paged through %d voices, want 25", len(seen))
	}
}

func TestSearchFilters(t *testing.T) {
	voices := testVoices(5)
	voices[2].Description = "Grandpa reading"
	for _, tt := range []struct {
		query string
		want  int
		first string
	}{
		{"search=voice+c", 1, "v2"},
		{"search=GRANDPA", 1, "v2"},
		{"search=cloned", 5, "v4"},
		{"sort=name", 5, "v0"},
		{"sort=name&sort_direction=desc", 5, "v4"},
		{"sort_direction=asc", 5, "v0"},
		{"voice_type=default", 0, ""},
		{"category=premade", 0, ""},
		{"voice_type=personal&category=cloned", 5, "v4"},
		{"voice_ids=v1&voice_ids=v3&voice_ids=nope", 2, "v3"},
	} {
		q, _ := url.ParseQuery(tt.query)
		s, err := ParseSearch(q)
		if err != nil {
			t.Errorf("%s: %v", tt.query, err)
			continue
		}
		p := s.page(voices)
		if len(p.Voices) != tt.want || (tt.want > 0 && p.Voices[0].VoiceID != tt.first) {
			t.Errorf("%s: %d voices starting %v, want %d starting %s", tt.query, len(p.Voices), p.Voices, tt.want, tt.first)
		}
	}
	for _, bad := range []string{"page_size=0", "page_size=101", "page_size=x", "sort=age", "sort_direction=up",
		"next_page_token=abc", "next_page_token=" + encodeToken(-1)[:2]} {
		q, _ := url.ParseQuery(bad)
		if _, err := ParseSearch(q); app.ErrorCode(err) != app.EInvalid || compat.FieldOf(err) == "" {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
