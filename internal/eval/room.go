package eval

import "github.com/voxclone/voxclone/internal/audio/dsp"

// evalRoom is DegradeRoom's room: RT60 0.5 s and a direct-to-reverberant
// ratio of 3 dB, a living room or small office with the microphone at
// arm's length; the first reflection 2 ms after the direct sound. The seed
// is fixed, so every run hears the same room.
var evalRoom = dsp.Room{RT60: 0.5, DRR: 3, Gap: 0.002, Seed: 0x700d}

// evalRoomSmall and evalRoomLarge are rooms the enrolment's reverberation
// suppression was not tuned on (its strength and gate were chosen in
// evalRoom), to check that it generalises. evalRoomSmall is a small
// furnished room with the microphone close (RT60 0.35 s, just above the
// gate's 0.33 s as a true time, DRR 6 dB); evalRoomLarge a
// classroom or hall with the microphone across a table (RT60 0.8 s, DRR
// 0 dB, first reflection at 5 ms). Their own seeds, so their tails are
// not evalRoom's noise rescaled.
var (
	evalRoomSmall = dsp.Room{RT60: 0.35, DRR: 6, Gap: 0.002, Seed: 0x5a11}
	evalRoomLarge = dsp.Room{RT60: 0.8, DRR: 0, Gap: 0.005, Seed: 0x1a26e}
)
