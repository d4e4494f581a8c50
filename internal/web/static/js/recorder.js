// recorder.js records the microphone into memory through an AudioWorklet and
// reports elapsed time and input level while it runs.

import { concat, encodeWAV } from "./wav.js";

/** MAX_SECONDS stops a forgotten recording before it eats the tab's memory. */
export const MAX_SECONDS = 300;

/**
 * Recorder captures one take. start() asks for the microphone; stop()
 * resolves to {blob, seconds, sampleRate} with a mono 16-bit WAV blob.
 */
export class Recorder {
  constructor(onTick) {
    this.onTick = onTick; // (elapsedSeconds, level 0..1)
    this.chunks = [];
    this.frames = 0;
  }

  async start() {
    // Processing meant for calls (echo cancelling, noise gates, gain riding)
    // colours the voice; cloning wants the voice as it is.
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
    });
    this.ctx = new AudioContext();
    await this.ctx.audioWorklet.addModule("/js/capture-worklet.js");
    const src = this.ctx.createMediaStreamSource(this.stream);
    this.node = new AudioWorkletNode(this.ctx, "capture", { numberOfOutputs: 0 });
    this.node.port.onmessage = (e) => this.receive(e.data);
    this.analyser = this.ctx.createAnalyser();
    this.analyser.fftSize = 2048;
    src.connect(this.analyser);
    src.connect(this.node);
    await this.ctx.resume();
    this.levelBuf = new Float32Array(this.analyser.fftSize);
    this.timer = setInterval(() => this.tick(), 100);
  }

  receive(data) {
    if (data === "flushed") {
      this.flushed?.();
      return;
    }
    this.chunks.push(data);
    this.frames += data.length;
  }

  elapsed() {
    return this.ctx ? this.frames / this.ctx.sampleRate : 0;
  }

  tick() {
    this.analyser.getFloatTimeDomainData(this.levelBuf);
    let sum = 0;
    for (const s of this.levelBuf) sum += s * s;
    const rms = Math.sqrt(sum / this.levelBuf.length);
    // Show -60…0 dBFS as 0…1: speech at a sensible level sits mid-meter.
    const db = 20 * Math.log10(rms + 1e-9);
    const level = Math.min(1, Math.max(0, (db + 60) / 60));
    this.onTick(this.elapsed(), level);
    if (this.elapsed() >= MAX_SECONDS) this.onLimit?.();
  }

  async stop() {
    clearInterval(this.timer);
    // Ask the worklet for its partial batch so the tail is not lost.
    await new Promise((resolve) => {
      this.flushed = resolve;
      this.node.port.postMessage("flush");
      setTimeout(resolve, 500); // a suspended context never answers
    });
    this.stream.getTracks().forEach((t) => t.stop());
    const rate = this.ctx.sampleRate;
    await this.ctx.close();
    const samples = concat(this.chunks);
    this.chunks = [];
    return { blob: encodeWAV(samples, rate), seconds: samples.length / rate, sampleRate: rate };
  }

  /** cancel releases the microphone without producing a take. */
  async cancel() {
    clearInterval(this.timer);
    this.stream?.getTracks().forEach((t) => t.stop());
    if (this.ctx && this.ctx.state !== "closed") await this.ctx.close();
  }
}
