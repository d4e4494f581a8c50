package codec

import (
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

func dspResample(p *audio.PCM, rate int) *audio.PCM { return dsp.ResampleSharp(p, rate) }
