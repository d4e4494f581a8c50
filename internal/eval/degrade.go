package eval

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/ffmpeg"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// Degradation turns a clean reference recording into what people often
// upload instead. The engine clones from the degraded references; the
// speaker identifier and the held-out speech stay clean, so the scores say
// how much of the speaker survives the damage.
type Degradation struct {
	Name  string
	Apply func(ctx context.Context, p *audio.PCM) (*audio.PCM, error)
	// oracle names the profile pieces taken from the clean clone
	// (oracle.go); none for a plain degradation.
	oracle []string
}

// Degradation names DegradationsNamed accepts.
const (
	DegradePhone   = "phone"   // 8 kHz G.711 μ-law, a telephone line
	DegradeMP3     = "mp3_32"  // MP3 at 32 kbit/s (LAME), decoded as uploads are
	DegradeNoise20 = "noise20" // white noise 20 dB below the speech
	// DegradeMP3FF is the same MP3 decoded by ffmpeg directly. At 32
	// kbit/s LAME writes 22.05 kHz MPEG-2 files, which go-mp3 garbled
	// (correlation 0.3 with ffmpeg's decode) until the upload decoder
	// sent MPEG-2 to ffmpeg too: the two should now agree, and this one
	// checks that the upload path adds no damage of its own.
	DegradeMP3FF = "mp3_32_ffdec"
	// DegradePhoneBand and DegradeMuLaw take the telephone line apart:
	// its band alone (8 kHz, 16-bit PCM) and its quantisation alone
	// (μ-law at 16 kHz). On the nine development speakers the band cost
	// nearly all the likeness the line costs (docs/engine.md, "what the
	// line costs, taken apart").
	DegradePhoneBand = "phone_band"
	DegradeMuLaw     = "mulaw16"
	// DegradeRoom convolves with a synthetic room (room.go): RT60 0.5 s,
	// direct-to-reverberant ratio 3 dB.
	DegradeRoom = "room"
	// DegradeRoomSmall (RT60 0.35 s, DRR 6 dB) and DegradeRoomLarge
	// (RT60 0.8 s, DRR 0 dB) are rooms the reverberation suppression was
	// not tuned on.
	DegradeRoomSmall = "room_small"
	DegradeRoomLarge = "room_large"
)

// DegradationNames lists the degradations in their report order.
func DegradationNames() []string {
	return []string{DegradePhone, DegradePhoneBand, DegradeMuLaw, DegradeMP3, DegradeMP3FF, DegradeNoise20, DegradeRoom, DegradeRoomSmall, DegradeRoomLarge}
}

// DegradationsNamed returns the named degradations in the order given. A
// name may add profile pieces taken from the clean clone ("mp3_32+pool",
// oracle.go).
func DegradationsNamed(names ...string) ([]Degradation, error) {
	var out []Degradation
	for _, full := range names {
		n, pieces, err := splitOracle(full)
		if err != nil {
			return nil, err
		}
		var apply func(context.Context, *audio.PCM) (*audio.PCM, error)
		switch n {
		case DegradePhone:
			apply = func(ctx context.Context, p *audio.PCM) (*audio.PCM, error) { return wavAt(ctx, p, 8000, wav.MuLaw) }
		case DegradePhoneBand:
			apply = func(ctx context.Context, p *audio.PCM) (*audio.PCM, error) { return wavAt(ctx, p, 8000, wav.PCM16) }
		case DegradeMuLaw:
			apply = func(ctx context.Context, p *audio.PCM) (*audio.PCM, error) { return wavAt(ctx, p, 16000, wav.MuLaw) }
		case DegradeMP3:
			apply = mp3At32
		case DegradeMP3FF:
			apply = mp3At32FFmpeg
		case DegradeNoise20:
			apply = func(_ context.Context, p *audio.PCM) (*audio.PCM, error) { return addNoise(p, 20), nil }
		case DegradeRoom:
			apply = func(_ context.Context, p *audio.PCM) (*audio.PCM, error) { return dsp.MediumRoom.Apply(p), nil }
		case DegradeRoomSmall:
			apply = func(_ context.Context, p *audio.PCM) (*audio.PCM, error) { return dsp.SmallRoom.Apply(p), nil }
		case DegradeRoomLarge:
			apply = func(_ context.Context, p *audio.PCM) (*audio.PCM, error) { return dsp.LargeRoom.Apply(p), nil }
		default:
			return nil, fmt.Errorf("eval: unknown degradation %q (known: %s)", n, strings.Join(DegradationNames(), ", "))
		}
		out = append(out, Degradation{Name: full, Apply: apply, oracle: pieces})
	}
	return out, nil
}

// wavAt resamples to rate and writes a WAV file of encoding enc (the
// telephone line: 8 kHz μ-law), then decodes it as an upload would be.
func wavAt(ctx context.Context, p *audio.PCM, rate int, enc wav.Encoding) (*audio.PCM, error) {
	var b bytes.Buffer
	if err := wav.Encode(&b, dsp.Resample(p.Mono(), rate), enc); err != nil {
		return nil, err
	}
	out, _, err := codec.Decode(ctx, b.Bytes())
	return out, err
}

// mp3At32 encodes at a constant 32 kbit/s and decodes again.
func mp3At32(ctx context.Context, p *audio.PCM) (*audio.PCM, error) {
	b, err := encodeMP3At32(ctx, p)
	if err != nil {
		return nil, err
	}
	out, _, err := codec.Decode(ctx, b)
	return out, err
}

// mp3At32FFmpeg decodes the same MP3 with ffmpeg.
func mp3At32FFmpeg(ctx context.Context, p *audio.PCM) (*audio.PCM, error) {
	b, err := encodeMP3At32(ctx, p)
	if err != nil {
		return nil, err
	}
	w, err := ffmpeg.Output(ctx, &ffmpeg.Exec{}, b, 256<<20, "-f", "mp3", "-i", "pipe:0", "-c:a", "pcm_s16le", "-f", "wav", "pipe:1")
	if err != nil {
		return nil, err
	}
	return wav.Decode(bytes.NewReader(w), codec.MaxDecodedSamples)
}

func encodeMP3At32(ctx context.Context, p *audio.PCM) ([]byte, error) {
	var b bytes.Buffer
	err := codec.Encode(ctx, &b, p.Mono(), audio.FormatMP3, codec.EncodeOptions{Bitrate: 32})
	return b.Bytes(), err
}

// addNoise adds white Gaussian noise snrDB below the speech's power: the
// mean power of the 20 ms frames within 30 dB of the loudest 5%, so pauses
// do not lower the reference. The seed is fixed, so runs repeat exactly.
func addNoise(p *audio.PCM, snrDB float64) *audio.PCM {
	m := p.Mono()
	x := m.Samples
	frame := max(1, m.Rate/50)
	var pow []float64
	for i := 0; i+frame <= len(x); i += frame {
		var e float64
		for _, v := range x[i : i+frame] {
			e += float64(v) * float64(v)
		}
		pow = append(pow, e/float64(frame))
	}
	out := &audio.PCM{Rate: m.Rate, Channels: 1, Samples: make([]float32, len(x))}
	copy(out.Samples, x)
	if len(pow) == 0 {
		return out
	}
	sorted := append([]float64(nil), pow...)
	sort.Float64s(sorted)
	floor := sorted[int(0.95*float64(len(sorted)-1))] * 1e-3 // 30 dB
	var sum float64
	var n int
	for _, e := range pow {
		if e >= floor {
			sum, n = sum+e, n+1
		}
	}
	sigma := math.Sqrt(sum / float64(n) / math.Pow(10, snrDB/10))
	rng := rand.New(rand.NewPCG(20, 20))
	for i := range out.Samples {
		out.Samples[i] += float32(sigma * rng.NormFloat64())
	}
	return out
}
