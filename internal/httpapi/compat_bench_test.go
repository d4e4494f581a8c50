package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
	"github.com/voxclone/voxclone/internal/voice"
)

// firstByteTexts are the two lengths the first-byte target is stated for:
// three sentences, and a text ten times longer, to show that the first
// byte does not wait for the rest of the text.
var firstByteTexts = []struct{ name, text string }{
	{"3sentences", "The morning train was late again, so Anna walked the last two miles along the river. " +
		"She counted the boats tied to the old wooden pier. A fisherman waved at her from the water."},
	{"2000chars", benchProse(2000)},
}

// benchProse is at least n characters of varied sentences.
func benchProse(n int) string {
	sentences := []string{
		"The morning train was late again, so Anna walked the last two miles along the river.",
		"She counted the boats tied to the old wooden pier, and there were exactly seventeen of them.",
		"A fisherman waved at her and shouted something about the weather turning cold by Friday.",
		"By nine o'clock the market square was already full of people buying bread, cheese and flowers.",
		"Her brother had promised to meet her at the bookshop on the corner, but he never came.",
		"Later that afternoon the rain finally stopped, and the whole town seemed to breathe again.",
	}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sentences[i%len(sentences)])
	}
	return b.String()
}

// BenchmarkCompatFirstByte is the time from sending a speech request to
// the first byte of audio in the answer, through the real handler on an
// httptest server (loopback, in process), for every output format: the
// OpenAI route's six and ElevenLabs' ulaw_8000. Voices: a clone of 25 s of
// real speech (vctk_p225; skipped without the speech set) and the
// built-in slt. The client hangs up at the first byte; the next request
// waits until the server has stopped (settle).
//
// Metrics per request: ms/first-byte (wall; min-ms/first-byte is the
// fastest request's, the one least kept from a core on a loaded
// machine), cpu-ms/first-byte (this process: server, engine and client,
// by rusage) and child-cpu-ms/first-byte (the encoder processes, from /proc at 10 ms resolution; it includes a
// spare encoder the request's start makes the pool start in the
// background). Each case runs on two servers, whose engines render one
// chunk at a time (workers=1), and two at once as on this 2-core machine
// (workers=2): with two, the CPU to the first byte includes the next
// chunk rendered beside the first; with one it is the first chunk's own
// path. Run with -benchtime 4x or so; ns/op includes the pauses.
func BenchmarkCompatFirstByte(b *testing.B) {
	urls, key, cloned := firstByteServers(b)
	voices := []struct{ name, id string }{{"cloned", cloned}, {"builtin", "slt"}}
	type route struct {
		format string
		req    func(url, voice, text string) *http.Request
	}
	var routes []route
	for _, f := range []string{"mp3", "opus", "aac", "flac", "wav", "pcm"} {
		routes = append(routes, route{f, func(url, voice, text string) *http.Request {
			return jsonRequest(b, url+"/v1/audio/speech", "Authorization", "Bearer "+key,
				map[string]any{"model": "tts-1", "voice": voice, "input": text, "response_format": f})
		}})
	}
	routes = append(routes, route{"ulaw", func(url, voice, text string) *http.Request {
		return jsonRequest(b, url+"/elevenlabs/v1/text-to-speech/"+voice+"/stream?output_format=ulaw_8000",
			"xi-api-key", key, map[string]any{"text": text})
	}})
	for _, v := range voices {
		for _, tx := range firstByteTexts {
			for _, r := range routes {
				for _, workers := range []int{1, 2} {
					url := urls[workers]
					name := fmt.Sprintf("%s/%s/%s/workers=%d", v.name, tx.name, r.format, workers)
					b.Run(name, func(b *testing.B) {
						firstByte(b, r.req(url, v.id, "Warm up.")) // fills the encoder pool
						settle()
						var sum firstByteCost
						fastest := time.Duration(math.MaxInt64)
						for b.Loop() {
							c := firstByte(b, r.req(url, v.id, tx.text))
							sum, fastest = sum.add(c), min(fastest, c.wall)
							settle()
						}
						n := float64(b.N)
						b.ReportMetric(ms(sum.wall)/n, "ms/first-byte")
						b.ReportMetric(ms(fastest), "min-ms/first-byte")
						b.ReportMetric(ms(sum.cpu)/n, "cpu-ms/first-byte")
						b.ReportMetric(ms(sum.child)/n, "child-cpu-ms/first-byte")
					})
				}
			}
		}
	}
}

// settle waits at least 300 ms, as between a server's requests, so the
// encoder pool refills, and then until the server has stopped working on
// the request it was hung up on: under load a chunk being rendered when
// the client left can take longer, and its CPU must not count for the
// next request.
func settle() {
	time.Sleep(300 * time.Millisecond)
	for range 50 {
		before := selfCPU()
		time.Sleep(100 * time.Millisecond)
		if selfCPU()-before < 3*time.Millisecond {
			return
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// firstByteCost is what one request spent until its first audio byte.
type firstByteCost struct{ wall, cpu, child time.Duration }

func (c firstByteCost) add(o firstByteCost) firstByteCost {
	return firstByteCost{c.wall + o.wall, c.cpu + o.cpu, c.child + o.child}
}

// firstByte sends req, waits for the first byte of a 200 answer's body
// and hangs up.
func firstByte(b *testing.B, req *http.Request) firstByteCost {
	b.Helper()
	kids := childCPU()
	cpu := selfCPU()
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReaderSize(resp.Body, 1)
	if _, err := br.Peek(1); err != nil || resp.StatusCode != 200 {
		b.Fatalf("%s: status %d, %v", req.URL.Path, resp.StatusCode, err)
	}
	c := firstByteCost{wall: time.Since(start), cpu: selfCPU() - cpu}
	for pid, t := range childCPU() {
		c.child += t - kids[pid]
	}
	return c
}

func jsonRequest(b *testing.B, url, hdr, value string, body any) *http.Request {
	data, err := json.Marshal(body)
	if err != nil {
		b.Fatal(err)
	}
	req, err := http.NewRequest("POST", url, bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(hdr, value)
	return req
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childCPU is the CPU time each running child process has used, from
// /proc (this kernel has no /proc/PID/task/TID/children, so every
// process's parent is read). Children that end between two calls are
// missed; the encoders of a stream run until it ends, after the first
// byte.
func childCPU() map[int]time.Duration {
	out := map[int]time.Duration{}
	self := os.Getpid()
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// Fields after the command name (which may hold spaces).
		f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		if len(f) < 13 {
			continue
		}
		if ppid, _ := strconv.Atoi(f[1]); ppid != self {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = time.Duration(utime+stime) * time.Second / 100 // USER_HZ
	}
	return out
}

// firstByteServers are the real Service on SQLite behind the real
// handler, with a user, an API key and a voice cloned from 25 s of
// vctk_p225; one server per engine, by its number of workers, on the same
// database and blobs.
func firstByteServers(b *testing.B) (map[int]string, string, string) {
	b.Helper()
	db := sqlitetest.Open(b, filepath.Join(b.TempDir(), "voxclone.db"))
	blobs, err := blob.NewLocal(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { blobs.Close() })
	q := newQueue(b, db, nil)
	svc, err := app.NewService(app.Config{JWTSecret: testSecret, PasswordCost: bcrypt.MinCost, RateLimit: app.Rate{Count: 100000, Window: time.Hour}},
		app.Deps{Store: db, Blobs: blobs, Engine: voice.New(voice.Config{Workers: 1}), Queue: q})
	if err != nil {
		b.Fatal(err)
	}
	if err := q.Start(svc); err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	u, _, err := svc.Register(ctx, "bench@example.com", "correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	_, key, err := svc.CreateAPIKey(ctx, u.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	wavData, err := encodeWAV(realSpeech(b, "vctk_p225", 25))
	if err != nil {
		b.Fatal(err)
	}
	s, err := svc.UploadSample(ctx, u.ID, app.UploadInput{Data: bytes.NewReader(wavData)})
	if err != nil {
		b.Fatal(err)
	}
	m, err := svc.CreateModel(ctx, u.ID, app.CreateModelInput{Name: "Me", SampleIDs: []string{s.ID}})
	if err != nil {
		b.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Minute); m.Status == app.ModelPending; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("the clone is still pending after 3 minutes")
		}
		if m, err = svc.GetModel(ctx, u.ID, m.ID); err != nil {
			b.Fatal(err)
		}
	}
	if m.Status != app.ModelReady {
		b.Fatalf("clone %s", m.Status)
	}
	// Streaming needs no queue; its idle polling would count as CPU
	// spent on every first byte.
	q.Stop(time.Second)
	svc2, err := app.NewService(app.Config{JWTSecret: testSecret, PasswordCost: bcrypt.MinCost, RateLimit: app.Rate{Count: 100000, Window: time.Hour}},
		app.Deps{Store: db, Blobs: blobs, Engine: voice.New(voice.Config{Workers: 2}), Queue: q})
	if err != nil {
		b.Fatal(err)
	}
	urls := map[int]string{}
	for workers, svc := range map[int]*app.Service{1: svc, 2: svc2} {
		srv := httptest.NewServer(httpapi.NewHandler(httpapi.Config{Service: svc}))
		b.Cleanup(srv.Close)
		urls[workers] = srv.URL
	}
	return urls, key, m.ID
}

// realSpeech joins a speaker's recordings from the speech set up to
// seconds, at the first recording's rate.
func realSpeech(b *testing.B, speaker string, seconds float64) *audio.PCM {
	var out *audio.PCM
	for _, path := range speechtest.WAVs(b, speaker) {
		p := speechtest.Load(b, path)
		if out == nil {
			out = &audio.PCM{Rate: p.Rate, Channels: 1}
		}
		p = dsp.Resample(p, out.Rate)
		out.Samples = append(out.Samples, p.Samples...)
		if out.Seconds() >= seconds {
			break
		}
	}
	return out
}
