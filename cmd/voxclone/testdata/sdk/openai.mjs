// Drives voxclone's /v1 routes with the official openai SDK, exactly as an
// OpenAI user would, only with baseURL and apiKey pointed at voxclone.
// Run by cmd/voxclone's TestOfficialClients; writes the audio it receives
// to OUT_DIR for the Go test to decode, and prints one JSON line of
// measurements. Any failed expectation exits non-zero.
import fs from "node:fs";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { Stream } from "openai/streaming";

const { VOXCLONE_URL, VOXCLONE_KEY, VOXCLONE_VOICE, OUT_DIR, FORMATS, LONG_TEXT } = process.env;
const client = new OpenAI({ baseURL: `${VOXCLONE_URL}/v1`, apiKey: VOXCLONE_KEY, maxRetries: 0 });
const input = "The quick brown fox jumps over the lazy dog. Then it rests in the sun.";
const out = {};

// Models and voices.
const models = [];
for await (const m of client.models.list()) models.push(m.id);
assert.deepEqual(models, ["tts-1", "tts-1-hd", "gpt-4o-mini-tts", "voxclone"]);
assert.equal((await client.models.retrieve("tts-1")).owned_by, "voxclone");
const voices = await client.get("/audio/voices");
assert.ok(voices.data.some((v) => v.name === VOXCLONE_VOICE && v.status === "ready"), JSON.stringify(voices));
assert.deepEqual(voices.data.filter((v) => v.type === "builtin").map((v) => v.id), ["slt", "rms", "awb"]);

// Every response_format, written whole.
for (const fmt of FORMATS.split(",")) {
  const res = await client.audio.speech.create({ model: "tts-1", voice: VOXCLONE_VOICE, input, response_format: fmt });
  fs.writeFileSync(`${OUT_DIR}/speech.${fmt}`, Buffer.from(await res.arrayBuffer()));
}

// OpenAI's own voice names speak as voxclone's built-in voices.
{
  const res = await client.audio.speech.create({ model: "tts-1", voice: "alloy", input, response_format: "wav" });
  fs.writeFileSync(`${OUT_DIR}/alloy.wav`, Buffer.from(await res.arrayBuffer()));
}

// A streamed read: chunks as they arrive, timed.
{
  const start = performance.now();
  const res = await client.audio.speech.create({ model: "gpt-4o-mini-tts", voice: { id: process.env.VOXCLONE_VOICE_ID }, input: LONG_TEXT, instructions: "Warm and calm." });
  const file = fs.createWriteStream(`${OUT_DIR}/stream.mp3`);
  let first = 0, chunks = 0;
  for await (const chunk of res.body) {
    if (!first) first = performance.now() - start;
    chunks++;
    file.write(chunk);
  }
  await new Promise((ok) => file.end(ok));
  out.stream = { first_byte_ms: Math.round(first), total_ms: Math.round(performance.now() - start), chunks };
}

// Server-sent events, parsed by the SDK's own SSE reader.
{
  const start = performance.now();
  const res = await client.audio.speech.create({ model: "gpt-4o-mini-tts", voice: VOXCLONE_VOICE, input, stream_format: "sse", response_format: "mp3" });
  assert.match(res.headers.get("content-type"), /^text\/event-stream/);
  const parts = [];
  let done = null, first = 0;
  for await (const ev of Stream.fromSSEResponse(res, new AbortController())) {
    if (ev.type === "speech.audio.delta") {
      if (!first) first = performance.now() - start;
      parts.push(Buffer.from(ev.audio, "base64"));
    } else if (ev.type === "speech.audio.done") {
      done = ev;
    } else {
      assert.fail(`unexpected event ${JSON.stringify(ev).slice(0, 200)}`);
    }
  }
  assert.ok(done && done.usage.input_tokens === input.length, JSON.stringify(done));
  fs.writeFileSync(`${OUT_DIR}/sse.mp3`, Buffer.concat(parts));
  out.sse = { deltas: parts.length, first_event_ms: Math.round(first), total_ms: Math.round(performance.now() - start) };
}

// Errors arrive as the SDK's typed errors, with OpenAI's fields.
async function rejects(promise, cls, status, code, param) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof cls, `${err}`);
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    assert.equal(err.param, param);
    assert.equal(err.type, status === 429 ? "requests" : "invalid_request_error");
    return;
  }
  assert.fail(`no ${cls.name}`);
}
await rejects(client.audio.speech.create({ model: "tts-1", voice: "no such voice", input }), OpenAI.NotFoundError, 404, "voice_not_found", "voice");
await rejects(client.audio.speech.create({ model: "tts-1", voice: VOXCLONE_VOICE, input, response_format: "ogg" }), OpenAI.BadRequestError, 400, "unsupported_format", "response_format");
await rejects(client.audio.speech.create({ model: "tts-1", voice: VOXCLONE_VOICE, input: "x".repeat(Number(process.env.MAX_TEXT) + 1) }), OpenAI.APIError, 413, "string_above_max_length", "input");
const stranger = new OpenAI({ baseURL: `${VOXCLONE_URL}/v1`, apiKey: "vxk_" + "0".repeat(64), maxRetries: 0 });
await rejects(stranger.audio.speech.create({ model: "tts-1", voice: VOXCLONE_VOICE, input }), OpenAI.AuthenticationError, 401, "invalid_api_key", null);

console.log(JSON.stringify(out));
