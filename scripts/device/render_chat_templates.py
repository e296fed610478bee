#!/usr/bin/env python3
"""Renders tests/fixtures/chat-templates/*.jinja with Python transformers' own chat-template engine (what
apply_chat_template runs), for every conversation there, to check transformers.js's expected.json against it. Also
renders llama3.2 without date_string, so strftime_now's date (today) is recorded. Prints JSON.
Usage: render_chat_templates.py FIXTURE_DIR"""
import json, os, sys, datetime
import transformers
from transformers.utils import chat_template_utils as ctu

def render(messages, text, **kwargs):
    if hasattr(ctu, "render_jinja_template"):
        rendered, _ = ctu.render_jinja_template(conversations=[messages], chat_template=text, add_generation_prompt=True, **kwargs)
        return rendered[0]
    return ctu._compile_jinja_template(text).render(messages=messages, add_generation_prompt=True, **kwargs)

d = sys.argv[1]
conversations = json.load(open(os.path.join(d, "conversations.json")))
templates = json.load(open(os.path.join(d, "templates.json")))
out = {"transformers": transformers.__version__, "today": datetime.datetime.now().strftime("%d %b %Y"), "templates": {}}
for file, spec in templates.items():
    text = open(os.path.join(d, file), encoding="utf-8").read()
    rows = []
    for i, messages in enumerate(conversations):
        for thinking in spec.get("thinking", [None]):
            for with_date in ([True, False] if spec.get("date_string") else [True]):
                kwargs = {"bos_token": spec.get("bos_token") or "", "eos_token": spec["eos_token"]}
                if spec.get("date_string") and with_date:
                    kwargs["date_string"] = spec["date_string"]
                if thinking is not None:
                    kwargs["enable_thinking"] = thinking
                rows.append({"conversation": i, "enable_thinking": thinking, "date_string": with_date, "text": render(messages, text, **kwargs)})
    out["templates"][file] = rows
print(json.dumps(out, indent=1, ensure_ascii=False))
