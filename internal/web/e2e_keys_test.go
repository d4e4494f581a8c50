package web_test

// The API keys step of TestBrowser: a key is made and deleted on the page,
// and the code it shows for the OpenAI and ElevenLabs SDKs is run against
// the server, as a user pasting it would.

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voxclone/voxclone/internal/audio/codec"
)

// snippetLangs are the languages the page offers, by <option> value.
var snippetLangs = []string{"javascript", "python", "curl"}

func (p *page) apiKeys(t *testing.T) {
	p.do(t, 10*time.Second, chromedp.Click(chromedp.CSS(`#nav a[href="/keys"]`)))
	p.waitJS(t, `idle() && !$("view-keys").hidden && $("snippet-openai").textContent.includes("Evening narrator")`, 10*time.Second)
	if s := evalJS[string](t, p, `$("snippet-elevenlabs").textContent`); !strings.Contains(s, "YOUR_API_KEY") || !strings.Contains(s, p.voiceID) {
		t.Errorf("before a key is made the ElevenLabs code reads %q, want a placeholder key and the voice's id", s)
	}
	p.fill(t, "key-name", "laptop")
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("key-submit")))
	p.waitJS(t, `idle() && !$("key-new").hidden && $("keys-list").children.length === 1`, 10*time.Second)
	secret := evalJS[string](t, p, `$("key-secret").textContent`)
	if !strings.HasPrefix(secret, "vxk_") || !strings.Contains(evalJS[string](t, p, `$("keys-list").textContent`), "laptop") {
		t.Fatalf("new key %q, list %q", secret, evalJS[string](t, p, `$("keys-list").textContent`))
	}
	snippets := p.snippets(t, secret)
	p.copySnippet(t)
	p.shot(t, "07b-api-keys")
	runSnippets(t, p.base, snippets)

	p.clickIn(t, "keys-list", "laptop", "Delete")
	p.waitJS(t, `$("confirm").open`, 5*time.Second)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("confirm-ok")))
	p.waitJS(t, `idle() && !$("confirm").open && $("keys-list").children.length === 0 && !$("keys-empty").hidden`, 10*time.Second)
	if s := evalJS[string](t, p, `$("snippet-openai").textContent`); strings.Contains(s, secret) || !isHidden(t, p, "key-new") {
		t.Errorf("after deleting the key the page still shows it")
	}
	req, _ := http.NewRequest("GET", p.base+"/v1/models", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("the deleted key still works: %v %v", resp, err)
	}
}

func isHidden(t *testing.T, p *page, id string) bool {
	return evalJS[bool](t, p, `$(`+jsString(id)+`).hidden`)
}

// snippets reads both snippets in every language and checks each names
// this server's API, the key and the voice. It returns them by
// "openai-javascript" and so on.
func (p *page) snippets(t *testing.T, secret string) map[string]string {
	out := map[string]string{}
	for _, lang := range snippetLangs {
		evalJS[any](t, p, `(() => { const s = $("snippet-lang"); s.value = `+jsString(lang)+`; s.dispatchEvent(new Event("change")); })()`)
		for api, want := range map[string][]string{
			"openai":     {p.base + "/v1", secret, "Evening narrator", "tts-1"},
			"elevenlabs": {p.base + "/elevenlabs", secret, p.voiceID, "eleven_multilingual_v2"},
		} {
			code := evalJS[string](t, p, `$("snippet-`+api+`").textContent`)
			for _, w := range want {
				if !strings.Contains(code, w) {
					t.Errorf("%s %s snippet lacks %q:\n%s", api, lang, w, code)
				}
			}
			out[api+"-"+lang] = code
		}
	}
	return out
}

// copySnippet presses Copy code and checks the clipboard got the code.
func (p *page) copySnippet(t *testing.T) {
	evalJS[any](t, p, `(() => { window.copied = null;
		navigator.clipboard.writeText = (s) => { window.copied = s; return Promise.resolve(); }; })()`)
	p.do(t, 10*time.Second, chromedp.Click(chromedp.ID("copy-elevenlabs")))
	p.waitJS(t, `window.copied === $("snippet-elevenlabs").textContent && $("copy-elevenlabs").textContent === "Copied"`, 5*time.Second)
}

// runSnippets runs the curl snippets, and the JavaScript ones when Node.js
// and the SDKs (make test-deps) are there, each in a fresh folder: each
// must leave a playable speech.mp3. The Python ones are only read.
func runSnippets(t *testing.T, base string, snippets map[string]string) {
	for _, api := range []string{"openai", "elevenlabs"} {
		runSnippet(t, api+"-curl", "sh", "snippet.sh", snippets[api+"-curl"])
		if dir, ok := sdkModules(t); ok {
			runSnippet(t, api+"-javascript", "node", "snippet.mjs", snippets[api+"-javascript"], dir)
		}
	}
}

func runSnippet(t *testing.T, name, tool, file, code string, nodeModules ...string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, file), []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, m := range nodeModules {
		if err := os.Symlink(m, filepath.Join(dir, "node_modules")); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, file)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s snippet: %v\n%s\n%s", name, err, out, code)
	}
	data, err := os.ReadFile(filepath.Join(dir, "speech.mp3"))
	if err != nil {
		t.Fatalf("%s snippet wrote no speech.mp3: %v", name, err)
	}
	pcm, format, err := codec.Decode(context.Background(), data)
	if err != nil || format != "mp3" || pcm.Seconds() < 0.5 {
		t.Errorf("%s snippet: speech.mp3 is %s, %v", name, format, err)
	}
}

// sdkModules finds the SDKs make test-deps installs for the end-to-end
// test. Without them the JavaScript snippets go unrun on a developer's
// machine, but CI must run them.
func sdkModules(t *testing.T) (string, bool) {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(filepath.Dir(strings.TrimSpace(string(root))), "cmd", "voxclone", "testdata", "sdk", "node_modules")
	_, err = os.Stat(filepath.Join(dir, "openai", "package.json"))
	if err == nil {
		_, err = exec.LookPath("node")
	}
	if err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("VOXCLONE_TEST_NODE") == "required" {
			t.Fatalf("node or the SDKs are missing (make test-deps): %v", err)
		}
		t.Logf("not running the JavaScript snippets: %v", err)
		return "", false
	}
	return dir, true
}
