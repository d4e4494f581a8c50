package httpapi

// contentType is the MIME type of an output format.
func contentType(format string) string {
	switch format {
	case "wav", "":
		return "audio/wav"
	case "mp3":
		return "audio/mpeg"
	case "flac":
		return "audio/flac"
	case "ogg":
		return "audio/ogg"
	case "opus":
		return "audio/ogg; codecs=opus"
	case "pcm":
		return "audio/L16"
	case "ulaw":
		return "audio/wav"
	}
	return "application/octet-stream"
}

// fileExt is the file extension for an output format.
func fileExt(format string) string {
	switch format {
	case "", "ulaw":
		return "wav"
	case "pcm":
		return "raw"
	}
	return safeToken(format)
}
