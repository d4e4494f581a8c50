package web_test

// Small wrappers over chromedp for the browser test: every action runs with
// its own deadline, JavaScript expressions get a `$` for getElementById, and
// a failed wait reports what the app's alert banner said.

import (
	"context"

	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// jsPrelude gives expressions the same $ the app's code uses, and idle(),
// true when no list is being reloaded (the app marks those aria-busy).
const jsPrelude = `const $ = (id) => document.getElementById(id);
	const idle = () => !document.querySelector("[aria-busy]");`

// do runs the actions, failing the test when they take longer than limit.
func (p *page) do(t *testing.T, limit time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, limit)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v%s", err, p.banner())
	}
}

// evalJS evaluates an expression (awaiting a promise) and decodes its value.
func evalJS[T any](t *testing.T, p *page, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](wrapJS(expr), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v%s", expr, err, p.banner())
	}
	return v
}

func wrapJS(expr string) string {
	return `(() => { ` + jsPrelude + ` return (` + expr + `); })()`
}

// waitJS polls until expr is truthy. An error banner showing up first ends
// the wait at once: the app has given up, so waiting longer only hides why.
func (p *page) waitJS(t *testing.T, expr string, limit time.Duration) {
	t.Helper()
	failFast := `((` + expr + `) ? "ok" : (!$("notice").hidden && !$("notice").classList.contains("info")) ? "error" : false)`
	if got := p.poll(t, failFast, limit); got != "ok" {
		t.Fatalf("waiting for %s: the app showed an error%s", expr, p.banner())
	}
}

// waitBanner waits for the alert banner to show a message containing text.
func (p *page) waitBanner(t *testing.T, text string, limit time.Duration) {
	t.Helper()
	p.poll(t, `!$("notice").hidden && $("notice-text").textContent.includes(`+jsString(text)+`) && "ok"`, limit)
}

func (p *page) poll(t *testing.T, expr string, limit time.Duration) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, limit+5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[string](wrapJS(expr),
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(limit)))
	if err != nil {
		t.Fatalf("waiting for %s: %v%s", expr, err, p.banner())
	}
	return v
}

// banner returns the app's visible error message, for failure logs.
func (p *page) banner() string {
	ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
	defer cancel()
	msg, err := chromedp.Run(ctx, chromedp.Evaluate[string](wrapJS(
		`$("notice").hidden ? "" : $("notice-text").textContent`)))
	if err != nil || msg == "" {
		return ""
	}
	return "\napp says: " + msg
}

// shot saves a full-page PNG screenshot as <name>.png.
func (p *page) shot(t *testing.T, name string) {
	t.Helper()
	// Let layout, fonts and canvases settle after the last change.
	p.do(t, 5*time.Second, chromedp.Sleep(150*time.Millisecond))
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(p.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fill replaces the text of the input with the given id by typing it.
func (p *page) fill(t *testing.T, id, text string) {
	t.Helper()
	p.waitJS(t, `$(`+jsString(id)+`) !== null`, 5*time.Second)
	evalJS[any](t, p, `$(`+jsString(id)+`).value = ""`)
	p.do(t, 10*time.Second, chromedp.SendKeys(chromedp.ID(id), text))
}

// dropFile drags a file from outside the browser onto the element's centre,
// as a user dropping it from a file manager would.
func (p *page) dropFile(t *testing.T, id, file string) {
	t.Helper()
	at := evalJS[map[string]float64](t, p, `(() => { const e = $(`+jsString(id)+`); e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()`)
	data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{file}, DragOperationsMask: 1}
	steps := []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter,
		input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop}
	p.do(t, 10*time.Second, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, typ := range steps {
			ev := input.DispatchDragEventParams{Type: typ, X: at["x"], Y: at["y"], Data: data}
			if _, err := cdp.Call(ctx, tg, input.DispatchDragEvent, ev); err != nil {
				return err
			}
		}
		return nil
	}))
}

// colorScheme emulates the system's light or dark setting ("" for none).
func (p *page) colorScheme(t *testing.T, scheme string) {
	t.Helper()
	media := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}
	p.do(t, 5*time.Second, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, media)
		return err
	}))
}

// clickIn clicks the button whose text is label inside the list row that
// contains text; rows are matched in the page so names need no escaping.
func (p *page) clickIn(t *testing.T, list, text, label string) {
	t.Helper()
	sel := chromedp.JSPath(`[...document.querySelectorAll("#` + list + ` li")]` +
		`.filter((li) => li.textContent.includes(` + jsString(text) + `))` +
		`.flatMap((li) => [...li.querySelectorAll("button")])` +
		`.filter((b) => b.textContent === ` + jsString(label) + `)`)
	p.do(t, 10*time.Second, chromedp.Click(sel))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	out := []rune{'"'}
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			out = append(out, '\\', r)
		case r < 0x20:
			out = append(out, []rune(`\u00`)...)
			out = append(out, rune("0123456789abcdef"[r>>4]), rune("0123456789abcdef"[r&15]))
		default:
			out = append(out, r)
		}
	}
	return string(append(out, '"'))
}
