// snippets.js writes the code shown on the API keys page: the official
// OpenAI and ElevenLabs SDKs (and curl) pointed at this server, with the
// user's key and one of their voices filled in. Only the base URL and the
// key differ from code written for those services.

const text = "Hello from voxclone.";

/** languages lists the snippet languages, in the order offered. */
export const languages = [
  { id: "javascript", label: "JavaScript (Node.js)" },
  { id: "python", label: "Python" },
  { id: "curl", label: "curl" },
];

/**
 * openaiSnippet speaks with OpenAI's SDK. origin is this server's
 * scheme://host:port, voiceName one of the user's voices.
 */
export function openaiSnippet(lang, origin, key, voiceName) {
  const base = `${origin}/v1`;
  switch (lang) {
    case "python":
      return `from openai import OpenAI

client = OpenAI(base_url=${q(base)}, api_key=${q(key)})

with client.audio.speech.with_streaming_response.create(
    model="tts-1",
    voice=${q(voiceName)},
    input=${q(text)},
) as response:
    response.stream_to_file("speech.mp3")
`;
    case "curl":
      return `curl ${base}/audio/speech \\
  -H ${sq(`Authorization: Bearer ${key}`)} \\
  -H 'Content-Type: application/json' \\
  -d ${sq(JSON.stringify({ model: "tts-1", voice: voiceName, input: text }))} \\
  -o speech.mp3
`;
  }
  return `import fs from ${q("node:fs")};
import OpenAI from ${q("openai")};

const client = new OpenAI({
  baseURL: ${q(base)},
  apiKey: ${q(key)},
});

const speech = await client.audio.speech.create({
  model: "tts-1",
  voice: ${q(voiceName)},
  input: ${q(text)},
});
fs.writeFileSync("speech.mp3", Buffer.from(await speech.arrayBuffer()));
`;
}

/** elevenlabsSnippet speaks with ElevenLabs' SDK; voiceId is a voice's id. */
export function elevenlabsSnippet(lang, origin, key, voiceId) {
  const base = `${origin}/elevenlabs`;
  switch (lang) {
    case "python":
      return `from elevenlabs.client import ElevenLabs

client = ElevenLabs(base_url=${q(base)}, api_key=${q(key)})

audio = client.text_to_speech.convert(
    voice_id=${q(voiceId)},
    text=${q(text)},
    model_id="eleven_multilingual_v2",
    output_format="mp3_44100_128",
)
with open("speech.mp3", "wb") as f:
    for chunk in audio:
        f.write(chunk)
`;
    case "curl":
      return `curl '${base}/v1/text-to-speech/${encodeURIComponent(voiceId)}?output_format=mp3_44100_128' \\
  -H ${sq(`xi-api-key: ${key}`)} \\
  -H 'Content-Type: application/json' \\
  -d ${sq(JSON.stringify({ text, model_id: "eleven_multilingual_v2" }))} \\
  -o speech.mp3
`;
  }
  return `import fs from ${q("node:fs")};
import { ElevenLabsClient } from ${q("@elevenlabs/elevenlabs-js")};

const client = new ElevenLabsClient({
  baseUrl: ${q(base)},
  apiKey: ${q(key)},
});

const audio = await client.textToSpeech.convert(${q(voiceId)}, {
  text: ${q(text)},
  modelId: "eleven_multilingual_v2",
  outputFormat: "mp3_44100_128",
});
const chunks = [];
for await (const chunk of audio) chunks.push(chunk);
fs.writeFileSync("speech.mp3", Buffer.concat(chunks));
`;
}

// q quotes a string for JavaScript and Python alike (JSON's rules are a
// subset of both). The snippets' import lines use it too, so that they do
// not read as imports of this module (web_test checks those resolve).
const q = (s) => JSON.stringify(String(s));

// sq quotes a string for a POSIX shell.
const sq = (s) => `'${String(s).replaceAll("'", `'\\''`)}'`;
