package codec_test

import (
	"bytes"
	"context"
	"fmt"
	"math"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

func ExampleParseFormat() {
	for _, name := range []string{"mp3", ".FLAC", "reply.ogg", "call.ulaw"} {
		f, _ := codec.ParseFormat(name)
		fmt.Printf("%s → %s (%s)\n", name, f, codec.ContentType(f))
	}
	// Output:
	// mp3 → mp3 (audio/mpeg)
	// .FLAC → flac (audio/flac)
	// reply.ogg → opus (audio/ogg; codecs=opus)
	// call.ulaw → ulaw (audio/wav)
}

func ExampleEncode() {
	tone := &audio.PCM{Rate: 48000, Channels: 1, Samples: make([]float32, 48000)}
	for i := range tone.Samples {
		tone.Samples[i] = float32(0.25 * math.Sin(2*math.Pi*440*float64(i)/48000))
	}
	var b bytes.Buffer
	err := codec.Encode(context.Background(), &b, tone, audio.FormatWAV, codec.EncodeOptions{SampleRate: 16000})
	if err != nil {
		panic(err)
	}
	p, f, err := codec.Decode(context.Background(), b.Bytes())
	fmt.Println(f, p.Rate, p.Seconds(), err)
	// Output: wav 16000 1 <nil>
}
