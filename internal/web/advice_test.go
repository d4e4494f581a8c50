package web

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio/prep"
)

// TestSpeechAdvice: what the app tells people to record agrees with what
// the server asks for: the least speech a sample may have, and the amount
// under which the quality report warns. It never promises a voice from "a
// few seconds".
func TestSpeechAdvice(t *testing.T) {
	b, err := fs.ReadFile(static, "static/index.html")
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Join(strings.Fields(string(b)), " ")
	for _, bad := range []string{"few seconds", "a few seconds"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page promises a voice from %q", bad)
		}
	}
	least := fmt.Sprintf("at least %.0f seconds of speech", prep.MinSpeechSeconds)
	best := fmt.Sprintf("%.0f seconds or more", prep.RecommendedSpeechSeconds)
	for _, id := range []string{`id="view-auth"`, `id="view-samples"`} {
		_, section, _ := strings.Cut(page, id)
		section, _, _ = strings.Cut(section, "</p>")
		if !strings.Contains(section, least) || !strings.Contains(section, best) {
			t.Errorf("the first paragraph of %s says %q; want %q and %q", id, section, least, best)
		}
	}
}
