// capture-worklet.js runs on the audio thread: it copies the microphone's
// samples (mixed down to mono) and posts them to the page in batches, so the
// page can build a lossless WAV file rather than a lossy MediaRecorder file.

const BATCH = 4096; // frames per message: about 85 ms at 48 kHz

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buf = new Float32Array(BATCH);
    this.n = 0;
    this.port.onmessage = (e) => {
      if (e.data === "flush") {
        this.port.postMessage(this.buf.slice(0, this.n));
        this.n = 0;
        this.port.postMessage("flushed");
      }
    };
  }

  process(inputs) {
    const chans = inputs[0];
    if (!chans || chans.length === 0) return true;
    const frames = chans[0].length;
    for (let i = 0; i < frames; i++) {
      let s = 0;
      for (const c of chans) s += c[i];
      this.buf[this.n++] = s / chans.length;
      if (this.n === BATCH) {
        this.port.postMessage(this.buf);
        this.buf = new Float32Array(BATCH);
        this.n = 0;
      }
    }
    return true;
  }
}

registerProcessor("capture", CaptureProcessor);
