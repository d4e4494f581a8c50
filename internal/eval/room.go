package eval

import "github.com/voxclone/voxclone/internal/audio/dsp"

// evalRoom is DegradeRoom's room: RT60 0.5 s and a direct-to-reverberant
// ratio of 3 dB, a living room or small office with the microphone at
// arm's length; the first reflection 2 ms after the direct sound. The seed
// is fixed, so every run hears the same room.
var evalRoom = dsp.Room{RT60: 0.5, DRR: 3, Gap: 0.002, Seed: 0x700d}
