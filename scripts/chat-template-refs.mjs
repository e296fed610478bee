// Renders tests/fixtures/chat-templates/*.jinja for every conversation there with transformers.js's Jinja
// (@huggingface/jinja, the engine transformers.js's apply_chat_template runs), add_generation_prompt true, and writes
// expected.json. A test-time reference only: run by scripts/tokenizer-refs.sh (which installs the npm package).
// Usage: node scripts/chat-template-refs.mjs NODE_MODULES_DIR FIXTURE_DIR
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
const [modules, dir] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), "noop.js"));
const { Template } = await import(require.resolve("@huggingface/jinja"));
const conversations = JSON.parse(fs.readFileSync(path.join(dir, "conversations.json"), "utf8"));
const templates = JSON.parse(fs.readFileSync(path.join(dir, "templates.json"), "utf8"));
const out = {};
for (const [file, spec] of Object.entries(templates)) {
  const template = new Template(fs.readFileSync(path.join(dir, file), "utf8"));
  const rows = [];
  for (const [i, messages] of conversations.entries()) {
    for (const thinking of spec.thinking ?? [null]) {
      const context = { messages, add_generation_prompt: true, bos_token: spec.bos_token ?? "", eos_token: spec.eos_token };
      if (spec.date_string) context.date_string = spec.date_string;
      if (thinking !== null) context.enable_thinking = thinking;
      rows.push({ conversation: i, enable_thinking: thinking, text: template.render(context) });
    }
  }
  out[file] = rows;
}
fs.writeFileSync(path.join(dir, "expected.json"), JSON.stringify(out, null, 1) + "\n");
console.log(`rendered ${Object.keys(out).length} templates`);
