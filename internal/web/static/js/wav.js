// wav.js encodes recorded samples as a 16-bit PCM WAV file, the one format
// every server-side decoder accepts without loss.

/**
 * encodeWAV returns a Blob of type audio/wav holding mono 16-bit PCM.
 * samples is a Float32Array in [-1, 1]; values outside are clipped.
 */
export function encodeWAV(samples, sampleRate) {
  const dataBytes = samples.length * 2;
  const buf = new ArrayBuffer(44 + dataBytes);
  const v = new DataView(buf);
  writeASCII(v, 0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  writeASCII(v, 8, "WAVE");
  writeASCII(v, 12, "fmt ");
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true); // byte rate
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true); // bits per sample
  writeASCII(v, 36, "data");
  v.setUint32(40, dataBytes, true);
  let off = 44;
  for (let i = 0; i < samples.length; i++, off += 2) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    // Asymmetric scale so -1 maps to -32768 and +1 to 32767 without wrap.
    v.setInt16(off, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([buf], { type: "audio/wav" });
}

/** concat joins the Float32Array chunks delivered by the recorder. */
export function concat(chunks) {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Float32Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function writeASCII(view, offset, s) {
  for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i));
}
