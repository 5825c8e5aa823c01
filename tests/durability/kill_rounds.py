#!/usr/bin/python3
"""Kill -9 at random moments after the organiser's decisions, then restart: nothing lost.

The real wall runs on SDL's dummy video driver with its control page on 127.0.0.1, a database
file and the demo's Mastodon feed. Each round makes one decision through the page (hide a post,
block an author, or approve a hidden post back), waits for its answer, kills the wall with
SIGKILL 0 to 30 ms later, starts it again and checks every decision made so far: hidden posts
are listed hidden and are not on screen or up next, blocked authors are blocked and unblocked
ones are not, approved posts are shown. Every round makes a decision (unblocking and approving
refill what hiding and blocking drain); a round with nothing to decide on is a failure. Prints
one line per round and a summary; exit 1 on any lost decision.

Usage: kill_rounds.py KIOSK_BINARY [ROUNDS]   (ROUNDS defaults to 100)
A cross build sets KIOSK_EMULATOR (qemu-aarch64-static): the wall then runs under it, and a
SIGKILL to the emulator is a SIGKILL to the wall.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

# The process helpers live beside the benchmark scripts, which use them too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts"))
from kioskproc import free_port, headless_env  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TOKEN = "durability-test-token"


def write_config(directory, port):
    config = {
        "event": {"name": "Harbour Camp", "hashtags": ["VCSSCamp"]},
        "network": {"download_media": False, "media_cache_dir": os.path.join(directory, "media")},
        "admin": {"listen": "127.0.0.1", "port": port, "token": TOKEN},
        "storage": {"path": os.path.join(directory, "wall.db"), "max_age_hours": 8760},
        "moderation": {"mode": "automatic"},
        "sources": [{
            "type": "mastodon", "server": "https://social.vcss.example", "hashtags": ["VCSSCamp"],
            "url": "file:" + os.path.join(ROOT, "assets", "demo", "mastodon_tag_vcsscamp.json"),
            "poll_seconds": 600}],
    }
    path = os.path.join(directory, "kiosk.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f)
    return path


def call(port, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def start(binary, config, port, log):
    env = headless_env()
    emulator = os.environ.get("KIOSK_EMULATOR", "")
    command = ([emulator] if emulator else []) + [binary, "--config", config,
                                                  "--windowed", "640x360"]
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    # Under emulation the start (fonts, database, first layout) is several times slower.
    for _ in range(1200 if emulator else 200):
        if proc.poll() is not None:
            raise SystemExit(f"the wall exited early (code {proc.returncode})")
        try:
            call(port, "GET", "/api/status")
            return proc
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the control page never answered")


def wait_for_posts(port, seconds):
    """The first start has no database: the page answers before the demo feed is read."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if call(port, "GET", "/api/posts?state=shown&limit=1")["posts"]:
            return
        time.sleep(0.1)
    raise SystemExit(f"no post on the wall after {seconds} s")


def ids(posts):
    return {p["id"] for p in posts}


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100
    directory = tempfile.mkdtemp(prefix="kiosk-kill-")
    port = free_port()
    config = write_config(directory, port)
    log = open(os.path.join(directory, "wall.log"), "ab")
    rng = random.Random(int(os.environ.get("KIOSK_SEED", "2026")))
    hidden, approved, blocked, unblocked = set(), set(), set(), set()
    lost = shown_hidden = decisions = 0
    proc = start(binary, config, port, log)
    wait_for_posts(port, 60)
    try:
        for n in range(1, rounds + 1):
            shown = call(port, "GET", "/api/posts?state=shown&limit=500")["posts"]
            candidates = [p for p in shown if p["handle"] and p["handle"] not in blocked]
            # Every round makes a real decision: unblocking and approving refill the pool that
            # hiding and blocking drain, so a long run never runs out of posts to decide on.
            choices = (["hide", "hide", "block"] if candidates else []) + \
                (["approve"] if hidden else []) + (["unblock"] if blocked else [])
            if not choices:
                raise SystemExit(f"round {n}: nothing on the wall to decide on")
            action = rng.choice(choices)
            if action == "hide":
                post = rng.choice(candidates)
                call(port, "POST", "/api/posts/hide", {"id": post["id"]})
                hidden.add(post["id"])
                approved.discard(post["id"])
            elif action == "block":
                handle = rng.choice(candidates)["handle"]
                call(port, "POST", "/api/blocks", {"kind": "author", "value": handle})
                blocked.add(handle)
            elif action == "approve":
                post_id = rng.choice(sorted(hidden))
                call(port, "POST", "/api/posts/approve", {"id": post_id})
                hidden.discard(post_id)
                approved.add(post_id)
            else:
                handle = rng.choice(sorted(blocked))
                call(port, "POST", "/api/blocks/remove", {"kind": "author", "value": handle})
                blocked.discard(handle)
                unblocked.add(handle)
            decisions += 1
            time.sleep(rng.uniform(0, 0.03))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc = start(binary, config, port, log)
            now_hidden = ids(call(port, "GET", "/api/posts?state=hidden&limit=500")["posts"])
            now_shown = call(port, "GET", "/api/posts?state=shown&limit=500")["posts"]
            status = call(port, "GET", "/api/status")
            on_screen = ids(status["current"]) | ids(status["up_next"])
            blocks = set(call(port, "GET", "/api/blocks")["authors"])
            missing = (hidden - now_hidden) | (approved - ids(now_shown))
            blocks = {x.lstrip("@") for x in blocks}
            missing_blocks = {b for b in blocked if b.lstrip("@") not in blocks} | \
                {b for b in unblocked - blocked if b.lstrip("@") in blocks}
            # A post the organiser approved by itself stays, its author's block or not (the
            # organiser's word on one post outranks the rules; see docs/CONFIG.md, moderation).
            back = (hidden & on_screen) | {p["id"] for p in now_shown if p["handle"] in blocked
                                           and p["id"] in on_screen and p["id"] not in approved}
            lost += len(missing) + len(missing_blocks)
            shown_hidden += len(back)
            print(f"round {n}: {action}; {len(hidden)} hidden, {len(blocked)} blocked, "
                  f"{len(approved)} approved, {len(unblocked - blocked)} unblocked; "
                  f"lost {len(missing) + len(missing_blocks)}, "
                  f"hidden on screen {len(back)}", flush=True)
    finally:
        proc.kill()
        proc.wait()
        log.close()
    print(f"kill -9 rounds: {rounds}, decisions: {decisions}, lost: {lost}, "
          f"hidden posts back on screen: {shown_hidden}")
    if lost or shown_hidden:
        print(f"the wall's log: {os.path.join(directory, 'wall.log')}")
        return 1
    shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
