// waveform.js draws a recording's waveform on a canvas, decoding the local
// file in the browser so nothing extra is fetched from the server.

/**
 * decode returns the first channel of an audio Blob as a Float32Array plus
 * its duration. The rate is kept low: a waveform needs no more detail.
 */
export async function decode(blob) {
  const bytes = await blob.arrayBuffer();
  const ctx = new OfflineAudioContext(1, 1, 16000);
  const audio = await ctx.decodeAudioData(bytes);
  return { samples: audio.getChannelData(0), duration: audio.duration };
}

/**
 * draw paints min/max columns of samples across the canvas width, scaled so
 * the loudest peak nearly fills the height: the picture is about where the
 * speech and the pauses are; the report gives the levels.
 */
export function draw(canvas, samples) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext("2d");
  const css = getComputedStyle(canvas);
  g.clearRect(0, 0, w, h);
  g.fillStyle = css.getPropertyValue("--wave-bg").trim() || "#f4f4f8";
  g.fillRect(0, 0, w, h);
  g.fillStyle = css.getPropertyValue("--wave-fg").trim() || "#4b3fd1";
  const per = samples.length / w;
  const mid = h / 2;
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  const gain = peak > 0 ? (0.95 * mid) / peak : mid;
  for (let x = 0; x < w; x++) {
    const [lo, hi] = range(samples, Math.floor(x * per), Math.floor((x + 1) * per));
    g.fillRect(x, mid - hi * gain, 1, Math.max(1, (hi - lo) * gain));
  }
}

function range(samples, from, to) {
  let lo = 0;
  let hi = 0;
  for (let i = from; i < to && i < samples.length; i++) {
    const s = samples[i];
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  return [lo, hi];
}

const drawn = new Map(); // canvas → samples, to redraw on resize or theme change

/** drawBlob decodes and draws; it returns false when the browser cannot decode the file. */
export async function drawBlob(canvas, blob) {
  let samples;
  try {
    ({ samples } = await decode(blob));
  } catch {
    drawn.delete(canvas);
    return false;
  }
  drawn.set(canvas, samples);
  draw(canvas, samples);
  return true;
}

// The picture is a bitmap at the size and colours of the moment it was
// drawn; paint it again when either changes.
function redrawAll() {
  for (const [canvas, samples] of drawn) {
    if (!canvas.hidden) draw(canvas, samples);
  }
}
window.addEventListener("resize", redrawAll);
window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redrawAll);
