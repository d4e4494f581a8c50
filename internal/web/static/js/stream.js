// stream.js plays speech while the server is still making it, and follows
// the words as they are spoken. The Speak page feeds it the events of a
// streamed synthesis.

import { el } from "./ui.js";

// Decoders start MP3 and AAC late by the encoder's delay, in samples at
// the stream's rate; the highlight waits for it so it stays on the word
// heard.
const decoderDelay = { mp3: 1105, aac: 1024 };

/**
 * StreamPlayer plays audio that arrives in pieces in an <audio> element.
 * Formats the browser can take piece by piece (MediaSource: MP3 and AAC
 * in every current browser) start playing with the first piece; others
 * (WAV, FLAC, Opus) are collected and play once complete.
 */
export class StreamPlayer {
  constructor(audio, contentType) {
    this.audio = audio;
    this.type = contentType;
    this.parts = [];
    this.queue = [];
    this.live = typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(contentType);
    this.ending = false;
    this.url = "";
    if (!this.live) return;
    this.ms = new MediaSource();
    this.url = URL.createObjectURL(this.ms);
    audio.src = this.url;
    this.ms.addEventListener("sourceopen", () => {
      this.sb = this.ms.addSourceBuffer(contentType);
      this.sb.mode = "sequence";
      this.sb.addEventListener("updateend", () => this.pump());
      this.pump();
    }, { once: true });
    // A full buffer waits for playback to free some.
    audio.addEventListener("timeupdate", () => this.pump());
  }

  /** append queues the next bytes of the file. */
  append(bytes) {
    this.parts.push(bytes);
    if (!this.live) return;
    this.queue.push(bytes);
    this.pump();
  }

  /** buffered is how many seconds the player holds (0 until it plays). */
  get buffered() {
    const b = this.audio.buffered;
    return b.length ? b.end(b.length - 1) : 0;
  }

  pump() {
    if (!this.sb || this.sb.updating || this.ms.readyState !== "open") return;
    // Drop what was heard more than half a minute ago: a chapter's audio
    // would not fit the browser's buffer otherwise.
    const heard = this.audio.currentTime - 30;
    if (heard > 0 && this.sb.buffered.length && this.sb.buffered.start(0) < heard - 1) {
      this.sb.remove(0, heard);
      return;
    }
    if (this.queue.length) {
      const buf = concat(this.queue);
      this.queue = [];
      try {
        this.sb.appendBuffer(buf);
      } catch (err) {
        if (err.name !== "QuotaExceededError") throw err;
        this.queue = [buf]; // try again as playback frees room
      }
      return;
    }
    if (this.ending) {
      this.ending = false;
      this.ms.endOfStream();
    }
  }

  /** end marks the file complete and returns it as a Blob. */
  end() {
    const blob = new Blob(this.parts, { type: this.type });
    if (this.live) {
      this.ending = true;
      this.pump();
    } else {
      this.release();
      this.url = URL.createObjectURL(blob);
      this.audio.src = this.url;
    }
    return blob;
  }

  /** release drops the player's object URL. */
  release() {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = "";
  }
}

// concat joins byte arrays.
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Reader shows the text being spoken and marks the word the listener
 * hears. Words arrive with their place in the text (in characters) and
 * their time; the text between them is shown as it is.
 */
export class Reader {
  constructor(node, audio, text, format, sampleRate) {
    this.node = node;
    this.audio = audio;
    this.chars = Array.from(text); // offsets count characters, not UTF-16 units
    this.at = 0;
    this.words = []; // {start, end, span}
    this.current = null;
    this.delay = (decoderDelay[format] || 0) / (sampleRate || 16000);
    this.follow = true;
    node.replaceChildren();
    node.addEventListener("scroll", () => {
      // The listener scrolled away: stop following until they come back.
      if (!this.scrolling) this.follow = this.current ? visible(node, this.current) : true;
    });
    this.tick = this.tick.bind(this);
    audio.addEventListener("play", () => requestAnimationFrame(this.tick));
    audio.addEventListener("seeked", () => this.mark());
  }

  /** add appends words [{text, start, end, offset, length}] in order. */
  add(words) {
    const frag = document.createDocumentFragment();
    for (const w of words) {
      if (w.offset > this.at) frag.append(this.chars.slice(this.at, w.offset).join(""));
      const span = el("span", { class: "word", "data-start": w.start.toFixed(3), "data-end": w.end.toFixed(3),
        text: this.chars.slice(w.offset, w.offset + w.length).join("") });
      span.addEventListener("click", () => this.seek(w.start));
      frag.append(span);
      this.words.push({ start: w.start, end: w.end, span });
      this.at = w.offset + w.length;
    }
    this.node.append(frag);
  }

  /** finish shows the text after the last word. */
  finish() {
    if (this.at < this.chars.length) this.node.append(this.chars.slice(this.at).join(""));
    this.at = this.chars.length;
  }

  seek(t) {
    const b = this.audio.buffered;
    for (let i = 0; i < b.length; i++) {
      if (t >= b.start(i) && t <= b.end(i)) {
        this.audio.currentTime = t + this.delay;
        this.follow = true;
        return;
      }
    }
  }

  tick() {
    this.mark();
    if (!this.audio.paused && !this.audio.ended) requestAnimationFrame(this.tick);
  }

  /** mark highlights the word being heard now. */
  mark() {
    const t = this.audio.currentTime - this.delay;
    // The last word that started by now (binary search: words are in order).
    let lo = 0;
    let hi = this.words.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid].start <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const w = found >= 0 && t <= this.words[found].end + 0.25 ? this.words[found].span : null;
    if (w === this.current) return;
    this.current?.classList.remove("current");
    this.current = w;
    if (!w) return;
    w.classList.add("current");
    if (this.follow && !visible(this.node, w)) {
      this.scrolling = true;
      w.scrollIntoView({ block: "center", behavior: "instant" });
      setTimeout(() => { this.scrolling = false; }, 50);
    }
  }
}

// visible reports whether child is inside node's visible area.
function visible(node, child) {
  const a = node.getBoundingClientRect();
  const b = child.getBoundingClientRect();
  return b.top >= a.top && b.bottom <= a.bottom;
}
