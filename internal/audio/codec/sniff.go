// Package codec decodes uploaded audio in any supported container, chosen
// by sniffing the bytes (never the file name), and encodes PCM to the
// output formats voxclone serves. WAV, MP3 and FLAC are decoded in pure Go;
// Ogg (Vorbis, Opus), WebM and M4A go through ffmpeg. WAV, raw PCM, μ-law
// and FLAC are encoded in pure Go; MP3 through lame (or ffmpeg without it),
// Opus and ADTS AAC through ffmpeg. Encode writes a whole PCM at once;
// NewStreamEncoder writes audio that arrives in pieces as it arrives.
//
// Decode, Encode and NewStreamEncoder are safe for concurrent use.
package codec

import (
	"bytes"
	"encoding/binary"

	"github.com/voxclone/voxclone/internal/audio"
)

// Sniff identifies the container of an audio file from its first bytes (a
// few kilobytes are plenty; 12 suffice for most formats). It returns
// audio.FormatUnknown when nothing matches. Raw PCM and μ-law have no
// signature and are never sniffed.
func Sniff(head []byte) audio.Format {
	switch {
	case len(head) >= 12 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WAVE":
		return audio.FormatWAV
	case bytes.HasPrefix(head, []byte("fLaC")):
		return audio.FormatFLAC
	case bytes.HasPrefix(head, []byte("OggS")):
		return sniffOgg(head)
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return audio.FormatWebM // EBML: WebM or Matroska, both read by ffmpeg
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return audio.FormatM4A
	case bytes.HasPrefix(head, []byte("ID3")):
		if f := sniffAfterID3(head); f != audio.FormatUnknown {
			return f
		}
		return audio.FormatMP3
	case isMP3Frame(head):
		return audio.FormatMP3
	case isADTS(head):
		return audio.FormatAAC
	}
	return audio.FormatUnknown
}

// sniffOgg tells Opus from Vorbis (and anything else Ogg) by the first
// packet's magic, which starts right after the first page's segment table.
func sniffOgg(head []byte) audio.Format {
	if len(head) < 27 {
		return audio.FormatOGG
	}
	body := 27 + int(head[26])
	if len(head) >= body+8 && string(head[body:body+8]) == "OpusHead" {
		return audio.FormatOpus
	}
	return audio.FormatOGG
}

// sniffAfterID3 skips an ID3v2 tag: some tools put one in front of FLAC or
// WAV data, not only MP3.
func sniffAfterID3(head []byte) audio.Format {
	if len(head) < 10 {
		return audio.FormatUnknown
	}
	size := int(head[6]&0x7f)<<21 | int(head[7]&0x7f)<<14 | int(head[8]&0x7f)<<7 | int(head[9]&0x7f)
	off := 10 + size
	if head[5]&0x10 != 0 {
		off += 10 // footer
	}
	if off >= len(head) || bytes.HasPrefix(head[off:], []byte("ID3")) {
		return audio.FormatUnknown
	}
	return Sniff(head[off:])
}

// isMP3Frame reports whether head starts with an MPEG audio layer III frame
// header whose successor is where the header says it is, which rules out
// the chance 11-bit sync in arbitrary data. A lone frame at the very end of
// head is accepted on its header alone.
func isMP3Frame(head []byte) bool {
	n, ok := mp3FrameLen(head)
	if !ok {
		return false
	}
	if len(head) < n+4 {
		return true
	}
	_, ok = mp3FrameLen(head[n:])
	return ok
}

// mp3FrameLen parses a layer III frame header and returns the frame length.
func mp3FrameLen(b []byte) (int, bool) {
	if len(b) < 4 {
		return 0, false
	}
	h := binary.BigEndian.Uint32(b)
	if h>>21 != 0x7FF {
		return 0, false
	}
	version, layer := (h>>19)&3, (h>>17)&3
	brIdx, srIdx, pad := (h>>12)&15, (h>>10)&3, int((h>>9)&1)
	if version == 1 || layer != 1 || brIdx == 0 || brIdx == 15 || srIdx == 3 {
		return 0, false
	}
	rates := [3]int{44100, 48000, 32000}
	rate := rates[srIdx]
	var kbps int
	if version == 3 { // MPEG-1
		kbps = []int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}[brIdx]
		return 144000*kbps/rate + pad, true
	}
	if version == 2 { // MPEG-2
		rate /= 2
	} else { // MPEG-2.5
		rate /= 4
	}
	kbps = []int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}[brIdx]
	return 72000*kbps/rate + pad, true
}

// isADTS reports whether head starts with an AAC ADTS frame header (sync,
// layer 0, a valid sampling index) followed by another where the length
// field says, or ends within the first frame.
func isADTS(head []byte) bool {
	n, ok := adtsFrameLen(head)
	if !ok {
		return false
	}
	if len(head) < n+7 {
		return true
	}
	_, ok = adtsFrameLen(head[n:])
	return ok
}

func adtsFrameLen(b []byte) (int, bool) {
	if len(b) < 7 || b[0] != 0xFF || b[1]&0xF6 != 0xF0 || (b[2]>>2)&0xF > 12 {
		return 0, false
	}
	n := int(b[3]&0x3)<<11 | int(b[4])<<3 | int(b[5])>>5
	return n, n >= 7
}
