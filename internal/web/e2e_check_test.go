package web_test

// The Check audio step of TestBrowser: speech the server made, downloaded
// and picked on the page, is found watermarked and named as the user's own
// synthesis; a recording voxclone did not make (dropped on the page) is
// not; a file that is not audio gets a readable error.

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// markedText is about 80 s of speech: enough for the watermark to name
// its synthesis, not only to be found (docs/trust.md).
var markedText = strings.Repeat("The quick brown fox jumps over the lazy dog near the river bank. "+
	"Every morning the baker opens his shop and sells warm bread to the neighbours. ", 10)

func (p *page) checkAudio(t *testing.T) {
	file, id := p.downloadSpeech(t, markedText)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/check"]`)))
	p.waitJS(t, `idle() && !$("view-check").hidden && $("check-result").hidden && $("check-submit").disabled`, 10*time.Second)

	// Picking a file checks it at once.
	p.do(t, 10*time.Second, chromedp.SetUploadFiles(chromedp.ID("check-file"), []string{file}))
	p.waitJS(t, `idle() && !$("check-result").hidden && $("check-result").dataset.watermarked !== undefined`, 60*time.Second)
	got := p.checkResult(t)
	if got["marked"] != "yes" || got["verdict"] != "Made by this voxclone" || got["id"] != id || !strings.Contains(got["source"], id) {
		t.Errorf("the server's own speech: %v; want watermarked, naming synthesis %s", got, id)
	}
	if pct := confidence(got["confidence"]); !strings.HasPrefix(got["confidence"], "speech.mp3: ") || pct < 50 {
		t.Errorf("confidence line %q, want the file's name and 50%% or more", got["confidence"])
	}
	p.shot(t, "08c-check-marked")

	// flite's own reading, which never went through voxclone, dropped.
	p.dropFile(t, "check-drop", p.upload)
	p.waitJS(t, `idle() && !$("check-result").hidden && $("check-result").dataset.watermarked === "no"`, 60*time.Second)
	got = p.checkResult(t)
	if got["verdict"] != "No voxclone watermark found" || got["id"] != "" || got["source"] != "" ||
		!strings.HasPrefix(got["confidence"], "reading.wav: ") || confidence(got["confidence"]) >= 50 {
		t.Errorf("speech voxclone did not make: %v; want no watermark and no synthesis", got)
	}
	p.shot(t, "08d-check-unmarked")

	notAudio := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notAudio, []byte("These are my notes, not a recording."), 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(t, 10*time.Second, chromedp.SetUploadFiles(chromedp.ID("check-file"), []string{notAudio}))
	p.waitBanner(t, "Unsupported audio format", 20*time.Second)
	if !isHidden(t, p, "check-result") {
		t.Error("a verdict is shown for a file that is not audio")
	}
	p.do(t, 5*time.Second, chromedp.Click(chromedp.ID("notice-close")))
}

// confidence is the percentage on the page's confidence line, -1 when
// there is none.
func confidence(line string) int {
	m := regexp.MustCompile(`watermark confidence (\d+)%`).FindStringSubmatch(line)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkResult reads what the Check audio page shows.
func (p *page) checkResult(t *testing.T) map[string]string {
	t.Helper()
	return evalJS[map[string]string](t, p, `({marked: $("check-result").dataset.watermarked,
		id: $("check-result").dataset.synthesisId, verdict: $("check-verdict").textContent,
		confidence: $("check-confidence").textContent, source: $("check-source").hidden ? "" : $("check-source").textContent})`)
}

// downloadSpeech has the server speak text as MP3 for the signed-in user,
// as the page's session, saves it and returns its path and synthesis id.
func (p *page) downloadSpeech(t *testing.T, text string) (string, string) {
	t.Helper()
	token := evalJS[string](t, p, `JSON.parse(sessionStorage.getItem("voxclone.session")).token`)
	body, _ := json.Marshal(map[string]string{"voice": "slt", "text": text, "format": "mp3"})
	req, _ := http.NewRequest("POST", p.base+"/api/voice/synthesize", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	client := &http.Client{Timeout: 3 * time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	audio, err := io.ReadAll(resp.Body)
	id := resp.Header.Get("X-Synthesis-Id")
	if err != nil || resp.StatusCode != 200 || id == "" || len(audio) < 10000 {
		t.Fatalf("synthesize: %d, %d bytes, id %q, %v", resp.StatusCode, len(audio), id, err)
	}
	path := filepath.Join(t.TempDir(), "speech.mp3")
	if err := os.WriteFile(path, audio, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, id
}
