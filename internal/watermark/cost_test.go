package watermark

import (
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice"
)

// cpuTime is the process's CPU time so far. The machine the tests run on
// is shared, so wall time says more about the neighbours than about us.
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skip("no rusage:", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCost: marking costs at most 5% of the CPU time of synthesis in a
// cloned voice, and detecting in 10 s of audio at most 50 ms. Marking the
// built-in voices' cheaper output is reported too.
func TestCost(t *testing.T) {
	if raceEnabled {
		t.Skip("measurement; too slow under -race")
	}
	eng := voice.New(voice.Config{})
	prof, err := eng.Clone(t.Context(), corpusRefs(t, speechtest.Speakers(t)[0]))
	if err != nil {
		t.Fatal(err)
	}
	start := cpuTime(t)
	_, err = speak(eng, voice.Speaker{Builtin: "slt"}, corpusText)
	if err != nil {
		t.Fatal(err)
	}
	synthBuiltin := cpuTime(t) - start
	start = cpuTime(t)
	pcm, err := speak(eng, voice.Speaker{Profile: prof}, corpusText)
	if err != nil {
		t.Fatal(err)
	}
	synth := cpuTime(t) - start
	const rounds = 5
	start = cpuTime(t)
	for i := range rounds {
		markInPieces(pcm, Payload(i))
	}
	embed := (cpuTime(t) - start) / rounds
	ten := &audio.PCM{Rate: pcm.Rate, Channels: 1, Samples: pcm.Samples[:10*pcm.Rate]}
	start = cpuTime(t)
	for range rounds {
		Detect(testKey, ten)
	}
	detect := (cpuTime(t) - start) / rounds
	share := float64(embed) / float64(synth)
	t.Logf("%.1f s of speech: synthesis %v CPU in a clone (%v in built-in slt), marking %v (%.1f%% of the clone's, %.1f%% of slt's); detecting in 10 s: %v CPU",
		pcm.Seconds(), synth.Round(time.Millisecond), synthBuiltin.Round(time.Millisecond), embed.Round(time.Millisecond),
		100*share, 100*float64(embed)/float64(synthBuiltin), detect.Round(time.Millisecond))
	if share > 0.05 {
		t.Errorf("marking costs %.1f%% of synthesis, want ≤ 5%%", 100*share)
	}
	if detect > 50*time.Millisecond {
		t.Errorf("detecting in 10 s costs %v, want ≤ 50 ms", detect)
	}
}
