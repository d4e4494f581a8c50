package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
)

// maxCLIInput bounds what any command reads into memory, whatever the
// input's head says; decoding is bounded separately by
// codec.MaxDecodedSamples.
const maxCLIInput = 512 << 20

// inputHead is what the first bytes of an input tell: the bytes
// themselves (codec.HeadBytes, or all of a shorter input) and the
// length they prove with a size.
type inputHead struct {
	bytes  []byte
	length codec.HeadLength
}

// inputCheck refuses an input from its head and n, the bytes it holds
// (its size when known, else what has come so far), or returns nil to
// read on. Called with a growing n, it stops a read as soon as the input
// is known to be refused.
type inputCheck func(path string, h inputHead, n int64) error

// readInput reads FILE, or standard input for "-" (a file named "-" when
// env is nil, for commands that take only files), up to maxCLIInput,
// refusing it as soon as check does: a regular file from its head and
// size before the rest is read, standard input or a pipe once enough has
// come.
func readInput(env *Env, path string, check inputCheck) ([]byte, error) {
	r, size, done, err := openInput(env, path)
	if err != nil {
		return nil, err
	}
	defer done()
	var buf bytes.Buffer
	if _, err := io.CopyN(&buf, r, codec.HeadBytes); err != nil && err != io.EOF {
		return nil, err
	}
	h := inputHead{bytes: bytes.Clone(buf.Bytes())}
	h.length = codec.ProbeHead(h.bytes)
	for n := size; ; n = int64(buf.Len()) {
		if err := check(path, h, n); err != nil {
			return nil, err
		}
		if n > maxCLIInput {
			return nil, &fileError{path, fmt.Errorf("larger than %d MB, more than voxclone reads", maxCLIInput>>20)}
		}
		_, err := io.CopyN(&buf, r, 1<<20)
		if err == io.EOF {
			return buf.Bytes(), nil
		} else if err != nil {
			return nil, err
		}
	}
}

// openInput opens FILE, or standard input for "-" when env is not nil,
// with its size when it is a regular file (-1 otherwise) and the function
// that closes it.
func openInput(env *Env, path string) (io.Reader, int64, func(), error) {
	if path == "-" && env != nil {
		return env.Stdin, -1, func() {}, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	size := int64(-1)
	if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return fh, size, func() { fh.Close() }, nil
}

// decodableAudio refuses audio whose head proves it more samples than
// the decoder keeps (codec.MaxDecodedSamples: 6 minutes of 44.1 kHz
// stereo, 35 of 16 kHz mono), which decoding would only read to fail.
func decodableAudio(path string, h inputHead, n int64) error {
	if s := h.length.MinSamples(n); s > codec.MaxDecodedSamples {
		return &fileError{path, fmt.Errorf("at least %.0f minutes of %d Hz audio (%d channels), longer than voxclone decodes (%d samples in all channels: 6 minutes of 44.1 kHz stereo, 35 of 16 kHz mono): cut it shorter",
			math.Ceil(h.length.MinSeconds(n)/60), h.length.Rate, h.length.Channels, codec.MaxDecodedSamples)}
	}
	return nil
}

// profileOrAudio lets a voice profile (told by its magic) be as large as
// voice.MaxProfileBytes, the most a profile can be, and audio as long as
// decodableAudio does.
func profileOrAudio(path string, h inputHead, n int64) error {
	if !voice.IsProfile(h.bytes) {
		return decodableAudio(path, h, n)
	}
	return profileSize(path, h, n)
}

// profileSize refuses anything larger than a voice profile can be.
func profileSize(path string, _ inputHead, n int64) error {
	if n > voice.MaxProfileBytes {
		return &fileError{path, fmt.Errorf("larger than %d MB, the most a voice profile can be: not a voice profile",
			voice.MaxProfileBytes>>20)}
	}
	return nil
}

// textSize refuses a text file larger than one text the engine takes
// (voice.MaxTextBytes; the API's 5,000-character transcripts fit in it).
func textSize(path string, _ inputHead, n int64) error {
	if n > voice.MaxTextBytes {
		return &fileError{path, fmt.Errorf("larger than %d bytes, more than a transcript can be", voice.MaxTextBytes)}
	}
	return nil
}
