package httpapi

import (
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

// contentType is the MIME type of a stored output format.
func contentType(format string) string {
	if format == "" {
		format = string(audio.FormatWAV)
	}
	return codec.ContentType(audio.Format(format))
}

// fileExt is the file extension offered for an output format.
func fileExt(format string) string {
	switch audio.Format(format) {
	case audio.FormatUnknown, audio.FormatULaw:
		return "wav"
	case audio.FormatPCM:
		return "raw"
	case audio.FormatOpus:
		return "opus"
	}
	return safeToken(format)
}
