package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chapter is a long text: the built-in voice needs many seconds to speak
// it all, so playback must begin long before the last of it arrives.
var chapter = strings.Repeat("The lighthouse keeper climbed the stairs every evening at dusk, counting each step aloud. "+
	"From the top he could see the fishing boats returning, their lamps swaying on the dark water.\n\n", 110)

// TestBrowserStreaming speaks a chapter in a built-in voice (no cloning,
// so it runs without the speech recordings): the audio must play while
// the server is still speaking, the highlighted word must be the one
// playing, and Stop must end it.
func TestBrowserStreaming(t *testing.T) {
	exe := requireBrowser(t)
	tmp := t.TempDir()
	mic := filepath.Join(tmp, "silence.wav")
	if err := os.WriteFile(mic, wavFile(16000, make([]byte, 32000)), 0o600); err != nil {
		t.Fatal(err)
	}
	base := os.Getenv("VOXCLONE_WEB_BASE_URL")
	if base == "" {
		base = startServer(t, buildBinary(t, tmp), filepath.Join(tmp, "data"))
	}
	p := &page{ctx: newBrowser(t, exe, mic), base: base, shots: screenshotDir(t)}
	p.do(t, 20*time.Second, chromedp.Navigate(p.base+"/"), chromedp.WaitVisible(chromedp.ID("view-auth")))
	p.signUp(t)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/speak"]`)))
	p.waitJS(t, `idle() && !$("view-speak").hidden && $("speak-voice").value === "builtin:slt"`, 10*time.Second)
	if !evalJS[bool](t, p, `$("speak-likeness-box").hidden && $("speak-text").maxLength === 100000`) {
		t.Error("a built-in voice shows the likeness slider, or the text box does not take a chapter")
	}
	evalJS[any](t, p, `(() => { const a = $("speak-text"); a.value = `+jsString(chapter)+`; a.dispatchEvent(new Event("input")); })()`)
	if got := evalJS[string](t, p, `$("speak-count").textContent`); got != "20,350 / 100,000" {
		t.Errorf("counter %q, want 20,350 / 100,000", got)
	}
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("speak-submit")))

	// Playing while the server is still at work.
	p.waitJS(t, `$("speak-result").dataset.state === "streaming" && $("speak-audio").currentTime > 1.5`, 60*time.Second)
	p.shot(t, "11-speak-streaming")
	live := evalJS[map[string]any](t, p, `({state: $("speak-result").dataset.state, live: $("speak-result").dataset.live,
		download: $("speak-download").hidden})`)
	if live["state"] != "streaming" || live["live"] != "true" || live["download"] != true {
		t.Errorf("while playing: %v; want it still streaming (MP3 through MediaSource) and no download yet", live)
	}
	// The highlighted word is the one playing, up to the decoder's delay
	// and the time between two animation frames.
	for range 3 {
		got := evalJS[map[string]any](t, p, `(() => { const w = document.querySelector("#speak-reader .word.current");
			const t = $("speak-audio").currentTime - 1105 / 16000;
			return w ? {text: w.textContent, start: +w.dataset.start, end: +w.dataset.end, t} : {t}; })()`)
		start, ok := got["start"].(float64)
		tm := got["t"].(float64)
		if !ok || tm < start-0.1 || tm > got["end"].(float64)+0.3 {
			t.Errorf("at %.2f s the highlighted word is %v", tm, got)
		}
		time.Sleep(400 * time.Millisecond)
	}
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("speak-stop")))
	p.waitJS(t, `$("speak-result").dataset.state === "stopped" && $("speak-progress").hidden && !$("speak-submit").disabled`, 10*time.Second)
}
