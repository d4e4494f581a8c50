// Drives voxclone's /elevenlabs routes with the official
// @elevenlabs/elevenlabs-js SDK, only with baseUrl and apiKey pointed at
// voxclone. Run by cmd/voxclone's TestOfficialClients in two steps:
//   node elevenlabs.mjs clone            clones a voice from SAMPLE
//   node elevenlabs.mjs speak VOICE_ID   searches, speaks, reads the
//                                        history and deletes the voice
// Audio goes to OUT_DIR for the Go test to decode; one JSON line of
// results goes to stdout. Any failed expectation exits non-zero.
import fs from "node:fs";
import assert from "node:assert/strict";
import { ElevenLabsClient, ElevenLabsError } from "@elevenlabs/elevenlabs-js";

const { VOXCLONE_URL, VOXCLONE_KEY, OUT_DIR, SAMPLE, LONG_TEXT } = process.env;
const client = new ElevenLabsClient({ baseUrl: `${VOXCLONE_URL}/elevenlabs`, apiKey: VOXCLONE_KEY, maxRetries: 0 });
const text = "Hello there! It's 5 past 3, and the sun is out.";
const [mode, voiceId] = process.argv.slice(2);

async function bytes(stream) {
  const parts = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function rejects(promise, status, detailStatus) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ElevenLabsError, `${err}`);
    assert.equal(err.statusCode, status, JSON.stringify(err.body));
    assert.equal(err.body.detail.status, detailStatus);
    assert.ok(err.body.detail.message);
    return;
  }
  assert.fail(`no ${status} ${detailStatus}`);
}

function checkAlignment(a, want) {
  assert.equal(a.characters.join(""), want);
  assert.equal(a.characterStartTimesSeconds.length, a.characters.length);
  assert.equal(a.characterEndTimesSeconds.length, a.characters.length);
  a.characterStartTimesSeconds.forEach((s, i) => {
    assert.ok(s <= a.characterEndTimesSeconds[i] && (i === 0 || s >= a.characterStartTimesSeconds[i - 1]), `character ${i}`);
  });
}

if (mode === "clone") {
  const added = await client.voices.ivc.create({
    name: "SDK voice", files: [fs.createReadStream(SAMPLE)], description: "Cloned by the ElevenLabs SDK", removeBackgroundNoise: false,
  });
  assert.equal(added.requiresVerification, false);
  console.log(JSON.stringify({ voice_id: added.voiceId }));
} else if (mode === "speak") {
  const out = {};
  const page = await client.voices.search({ search: "sdk", pageSize: 1, includeTotalCount: true });
  assert.equal(page.voices.length, 1);
  assert.equal(page.voices[0].voiceId, voiceId);
  assert.equal(page.voices[0].category, "cloned");
  assert.equal(page.totalCount, 1);
  const premade = await client.voices.search({ voiceType: "default" });
  assert.deepEqual(premade.voices.map((v) => [v.voiceId, v.category]), [["slt", "premade"], ["rms", "premade"], ["awb", "premade"]]);
  fs.writeFileSync(`${OUT_DIR}/premade.mp3`, await bytes(await client.textToSpeech.convert("awb",
    { text, voiceSettings: { similarityBoost: 0.75, speed: 1.1 } })));
  const all = await client.voices.getAll();
  assert.ok(all.voices.some((v) => v.voiceId === voiceId));
  const voice = await client.voices.get(voiceId);
  assert.equal(voice.name, "SDK voice");
  assert.equal(voice.samples.length, 1);

  const settings = { stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1 };
  fs.writeFileSync(`${OUT_DIR}/convert.mp3`, await bytes(await client.textToSpeech.convert(voiceId,
    { text, modelId: "eleven_multilingual_v2", outputFormat: "mp3_44100_128", voiceSettings: settings })));
  fs.writeFileSync(`${OUT_DIR}/convert.ulaw`, await bytes(await client.textToSpeech.convert(voiceId, { text, outputFormat: "ulaw_8000" })));
  {
    const start = performance.now();
    const stream = await client.textToSpeech.stream(voiceId, { text: LONG_TEXT, outputFormat: "pcm_16000", modelId: "eleven_flash_v2_5" });
    const parts = [];
    let first = 0;
    for await (const chunk of stream) {
      if (!first) first = performance.now() - start;
      parts.push(Buffer.from(chunk));
    }
    fs.writeFileSync(`${OUT_DIR}/stream.pcm`, Buffer.concat(parts));
    out.stream = { first_byte_ms: Math.round(first), total_ms: Math.round(performance.now() - start) };
  }
  const timed = await client.textToSpeech.convertWithTimestamps(voiceId, { text, outputFormat: "mp3_22050_32" });
  checkAlignment(timed.alignment, text);
  assert.ok(timed.normalizedAlignment.characters.length > 0);
  fs.writeFileSync(`${OUT_DIR}/timestamps.mp3`, Buffer.from(timed.audioBase64, "base64"));
  {
    const chunks = await client.textToSpeech.streamWithTimestamps(voiceId, { text });
    const merged = { characters: [], characterStartTimesSeconds: [], characterEndTimesSeconds: [] };
    const audio = [];
    for await (const c of chunks) {
      audio.push(Buffer.from(c.audioBase64, "base64"));
      for (const k of Object.keys(merged)) merged[k].push(...(c.alignment?.[k] ?? []));
    }
    checkAlignment(merged, text);
    fs.writeFileSync(`${OUT_DIR}/stream-timestamps.mp3`, Buffer.concat(audio));
  }

  const history = await client.history.list({ pageSize: 2 });
  assert.equal(history.history.length, 2);
  assert.equal(history.hasMore, true);
  const next = await client.history.list({ pageSize: 100, startAfterHistoryItemId: history.lastHistoryItemId });
  assert.equal(history.history.length + next.history.length, 6 + Number(process.env.HISTORY_BEFORE));
  const mine = [...history.history, ...next.history].filter((h) => h.voiceCategory === "cloned");
  assert.ok(mine.every((h) => h.voiceId === voiceId && h.voiceName === "SDK voice"));
  assert.ok([...history.history, ...next.history].some((h) => h.voiceId === "awb" && h.voiceCategory === "premade"));
  assert.equal(history.history[0].text, text);
  const converted = [...history.history, ...next.history].find((h) => h.settings?.similarity_boost === 0.75);
  const again = await bytes(await client.history.getAudio(converted.historyItemId));
  assert.ok(again.equals(fs.readFileSync(`${OUT_DIR}/convert.mp3`)), "history audio differs from what convert returned");
  fs.writeFileSync(`${OUT_DIR}/history.mp3`, again);

  const models = await client.models.list();
  assert.ok(models.some((m) => m.modelId === "eleven_multilingual_v2" && m.canDoTextToSpeech));
  const user = await client.user.get();
  assert.equal(user.subscription.status, "active");

  await rejects(client.textToSpeech.convert("no-such-voice", { text }), 404, "voice_not_found");
  await rejects(client.textToSpeech.convert(voiceId, { text: "x".repeat(Number(process.env.MAX_TEXT) + 1) }), 413, "max_character_limit_exceeded");
  await rejects(new ElevenLabsClient({ baseUrl: `${VOXCLONE_URL}/elevenlabs`, apiKey: "not-a-key", maxRetries: 0 }).voices.getAll(), 401, "invalid_api_key");
  await rejects(client.dubbing.list(), 404, "not_found");

  assert.equal((await client.voices.delete(voiceId)).status, "ok");
  await rejects(client.voices.get(voiceId), 404, "voice_not_found");
  console.log(JSON.stringify(out));
} else {
  assert.fail(`usage: node elevenlabs.mjs clone | speak VOICE_ID`);
}
