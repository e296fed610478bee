#!/usr/bin/env python3
"""Prints the stacks from .NET crash reports (DOTNET_EnableCrashReport) so a CI log says where a test host died.

Usage: crash-report.py DIR. For each *.crashreport.json in DIR: the crashed thread's frames in full, then every
other thread that was inside native code of libtorch or TorchSharp (what it was calling), managed frames by name,
native frames as module+offset. Prints nothing when DIR holds no report.
"""
import json
import pathlib
import sys


def frame(f):
    if f.get("method_name"):
        return f"{f['method_name']}  [{f.get('filename', '?')} IL {f.get('il_offset', '?')}]"
    if f.get("native_module"):
        return f"{f['native_module']}+{f.get('native_image_offset', '?')}"
    return f"?{f.get('native_address', '')}"


def torch_thread(frames):
    return any("torch" in (f.get("native_module") or "").lower() or "TorchSharp" in (f.get("method_name") or "") for f in frames)


def main(directory):
    reports = sorted(pathlib.Path(directory).glob("*.crashreport.json"))
    for path in reports:
        payload = json.loads(path.read_text())["payload"]
        print(f"=== crash report {path.name}: process {payload.get('process_name')}")
        for thread in payload.get("threads", []):
            frames = thread.get("stack_frames", [])
            crashed = str(thread.get("crashed")).lower() == "true"
            if not crashed and not torch_thread(frames):
                continue
            print(f"--- thread {thread.get('native_thread_id')}{' (crashed)' if crashed else ''}")
            shown = frames if crashed else frames[:25]
            for f in shown[:60]:
                print("    " + frame(f))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
