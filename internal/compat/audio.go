package compat

import (
	"net/http"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

// SetAudioHeaders describes audio in a service output format (wav, mp3,
// …) made by the synthesis with id synthesisID, which voxclone's own
// history API knows it by.
func SetAudioHeaders(w http.ResponseWriter, synthesisID, format string) {
	w.Header().Set("Content-Type", codec.ContentType(audio.Format(format)))
	w.Header().Set("X-Synthesis-Id", synthesisID)
}
