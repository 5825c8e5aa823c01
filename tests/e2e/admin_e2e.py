#!/usr/bin/python3
"""End-to-end test of the control page in Debian's headless Chromium.

The real wall runs on SDL's dummy video driver with its control page on 127.0.0.1; Debian's
chromedriver drives Chromium through python3-selenium (W3C WebDriver, so Chromium and its driver
come from one Debian package version and no npm or newer Node.js is involved). An organiser on a
phone-sized screen logs in, approves a queued post and sees it in "up next", hides one, switches
panic on and off and changes the hashtags; a post whose name and text carry script and markup
shows as text and runs nothing; the config the page wrote loads again after a restart. An
attendee posts text and a camera photo from the venue page without an account; the organiser
sees it blurred in the queue without its EXIF or GPS, approves it onto the wall; the attendee
takes it off again; the per-phone limit answers with its message; both pages fit 360 and 390 px.

Usage: admin_e2e.py KIOSK_BINARY   (exit 77 = skipped: no Chromium, chromedriver or selenium;
with KIOSK_REQUIRE_E2E=1, as scripts/test sets it, a missing tool fails instead)
"""
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

# The process helpers live beside the benchmark scripts, which use them too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "scripts"))
from kioskproc import free_port, headless_env  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = os.environ.get("KIOSK_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("KIOSK_CHROMEDRIVER", "/usr/bin/chromedriver")
TOKEN = "harbour-camp-e2e-token"


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)
    print(f"ok - {message}", flush=True)


def skip(reason):
    if os.environ.get("KIOSK_REQUIRE_E2E") == "1":
        print(f"admin e2e: FAILED: {reason} (KIOSK_REQUIRE_E2E=1)", file=sys.stderr)
        sys.exit(1)
    print(f"skipped: {reason}")
    sys.exit(77)


def write_config(directory, port):
    config = {
        "event": {"name": "Harbour Camp", "hashtags": ["HarbourCamp"]},
        "display": {"layout": "spotlight"},
        "network": {"download_media": False,
                    "media_cache_dir": os.path.join(directory, "media")},
        "admin": {"listen": "127.0.0.1", "port": port, "token": TOKEN},
        "storage": {"path": os.path.join(directory, "wall.db"), "max_age_hours": 8760},
        "announcements": [{"id": "welcome",
                           "text": "Welcome to Harbour Camp! Breakfast until 10:00."}],
        "moderation": {"mode": "pre"},
        "venue": {"enabled": True, "posts_per_device": 3},
        "sources": [{
            "type": "mastodon", "server": "https://quay.example", "hashtags": ["HarbourCamp"],
            "url": "file:" + os.path.join(HERE, "..", "fixtures", "e2e", "mastodon_queue.json"),
            "poll_seconds": 600,
        }],
    }
    path = os.path.join(directory, "kiosk.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    return path


class MockMastodon:
    """A Mastodon server on 127.0.0.1 whose hashtag timeline is the recorded-format fixture."""

    def __init__(self):
        with open(os.path.join(HERE, "..", "fixtures", "mastodon", "tag_timeline_mixed.json"),
                  "rb") as f:
            timeline = f.read()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                found = self.path.startswith("/api/v1/timelines/tag/")
                body = timeline if found else b'{"error":"Record not found"}'
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class Wall:
    """The kiosk binary as a child process, its output appended to one log file."""

    def __init__(self, binary, config, log_path):
        self.log_path = log_path
        env = headless_env()
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [binary, "--config", config, "--windowed", "1280x720"],
                env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for_port(self, port):
        for _ in range(100):
            if self.proc.poll() is not None:
                raise Failed(f"the wall exited early:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise Failed(f"the control page never listened on {port}:\n{self.log()}")

    def stop(self):
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def api_get(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def attendee_status(port):
    """What a phone on the venue network gets for the attendee page's info: 200 open, 404 closed."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/venue", timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Page:
    """The few things the test does with the browser, each waiting until the page shows it."""

    def __init__(self, driver):
        self.driver = driver

    def wait(self, what, condition, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            try:
                result = condition()
                if result:
                    return result
            except self.stale_errors:
                pass  # the page re-rendered the list between two looks; look again
            if time.monotonic() > deadline:
                raise Failed(f"timed out after {timeout} s waiting for {what}")
            time.sleep(0.1)

    def card(self, selector, text):
        """The first element matching selector whose text content holds text, or None."""
        return self.driver.execute_script(
            "for (const e of document.querySelectorAll(arguments[0]))"
            "  if (e.textContent.includes(arguments[1])) return e;"
            "return null;", selector, text)

    def wait_card(self, selector, text, timeout=10):
        try:
            return self.wait(f"{selector} holding {text!r}", lambda: self.card(selector, text),
                             timeout)
        except Failed as e:
            now = self.driver.execute_script(
                "return [...document.querySelectorAll(arguments[0])]"
                "  .map((e) => e.textContent.trim()).join(' | ')", selector)
            raise Failed(f"{e}; it holds {now!r}") from None

    def wait_gone(self, selector, text, timeout=10):
        self.wait(f"{text!r} to leave {selector}",
                  lambda: self.card(selector, text) is None, timeout)

    def press(self, element):
        """Scrolls element to the middle of the screen, as a person would, and taps it: at the
        bottom edge of a phone the status line lies over it."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def press_button(self, element, label):
        for b in element.find_elements(self.by.TAG_NAME, "button"):
            if b.text.strip() == label:
                return self.press(b)
        raise Failed(f"no {label!r} button on the card")

    def fill(self, selector, text):
        """Types text into an emptied field. The page's status poll may refill a field between
        emptying it (which blurs it) and typing, so the typing then lands behind the old value:
        typed again until the field holds exactly text."""
        field = self.driver.find_element(self.by.CSS_SELECTOR, selector)
        for _ in range(3):
            field.clear()
            field.send_keys(text)
            if field.get_attribute("value") == text:
                return
        raise Failed(f"{selector} holds {field.get_attribute('value')!r} after typing {text!r}")

    def click(self, selector):
        self.press(self.driver.find_element(self.by.CSS_SELECTOR, selector))

    def js(self, script):
        return self.driver.execute_script(script)


def open_browser():
    try:
        from selenium import webdriver
        from selenium.common.exceptions import (NoAlertPresentException,
                                                StaleElementReferenceException)
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError:
        skip("python3-selenium is not installed")
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(tool):
            skip(f"no {tool} (Debian packages chromium and chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    # A phone-sized screen, as an organiser in the room would use.
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": True}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    page = Page(driver)
    page.by = By
    page.stale_errors = (StaleElementReferenceException,)
    page.no_alert = NoAlertPresentException
    return page


def no_dialog(page):
    try:
        page.driver.switch_to.alert
        return False
    except page.no_alert:
        return True


def organiser_session(page, port, config_file):
    page.driver.get(f"http://127.0.0.1:{port}/")
    shown = lambda element_id: page.driver.find_element(page.by.ID, element_id).is_displayed()
    page.wait("the login form", lambda: shown("login"))
    page.fill("#token", "not-the-token")
    page.click("#login button[type=submit]")
    page.wait_card("#message", "token")
    check(not shown("app"), "a wrong token does not open the page")

    page.fill("#token", TOKEN)
    page.click("#login button[type=submit]")
    page.wait("the page after login", lambda: shown("app"))
    check(True, "logged in with the wall token")

    page.wait_card("#posts .card", "Sunrise swim")
    evil = page.wait_card("#posts .card", "Free stickers")
    evil_text = evil.find_element(page.by.CSS_SELECTOR, ".text").get_attribute("textContent")
    check("<script>window.pwned=1</script>" in evil_text, "script in a post shows as text")
    who = evil.find_element(page.by.CSS_SELECTOR, ".who").get_attribute("textContent")
    check("<img src=x onerror=" in who, "markup in a display name shows as text")
    check(page.js("return document.querySelectorAll('#posts script, #posts img, #posts b').length")
          == 0, "no element was made from post content")
    check(page.js("return window.pwned === undefined"), "nothing from a post ran")
    check(no_dialog(page), "no dialog was opened by post content")

    # Approve: the post is up next on the wall. A fresh approval goes up at the next slot; the
    # card on screen stays at least 8 s.
    page.press_button(page.card("#posts .card", "Sunrise swim"), "Approve")
    page.wait_card("#next .card", "Sunrise swim", timeout=15)
    check(True, "an approved post appears in the up-next preview")
    shots = os.environ.get("KIOSK_E2E_SHOTS")
    if shots:
        page.driver.save_screenshot(os.path.join(shots, "admin-phone.png"))
    page.wait_gone("#posts .card", "Sunrise swim")
    check(True, "the approved post left the queue")

    # Hide: gone from the queue, listed as hidden with the reason.
    page.press_button(page.wait_card("#posts .card", "coffee in tent B"), "Hide")
    page.wait_gone("#posts .card", "coffee in tent B")
    page.click("[role=tab][data-state=hidden]")
    page.wait_card("#posts .card .reason", "hidden by organiser")
    hidden = page.card("#posts .card", "coffee in tent B")
    check(hidden is not None and "hidden by organiser" in hidden.find_element(
        page.by.CSS_SELECTOR, ".reason").get_attribute("textContent"),
        "a hidden post is listed as hidden by the organiser")

    # Panic on: the wall shows announcements only; off again: posts are back.
    page.click("#panic")
    page.wait_card("#panic-state", "blank")
    page.wait_card("#now .card", "Welcome to Harbour Camp", timeout=15)
    check(read_json(config_file)["moderation"]["panic"] == "announcements",
          "panic is on and written to the config file")
    check(os.path.exists(config_file + ".bak"), "the previous config file is kept")
    page.click("#panic")
    page.wait_card("#panic-state", "Posts are showing")
    check(read_json(config_file)["moderation"]["panic"] == "off",
          "panic is off again in the config file")

    # The attendee page closed and opened again from the phone.
    page.wait("the attendee page's switch", lambda: page.js(
        "return document.getElementById('venue-open').checked"))
    page.click("#venue-open")
    page.wait_card("#message", "Attendee page saved")
    page.wait("the attendee page to close", lambda: attendee_status(port) == 404)
    check(read_json(config_file)["venue"]["enabled"] is False,
          "the attendee page is closed from the phone and the config file says so")
    page.click("#venue-open")
    page.wait("the attendee page to open", lambda: attendee_status(port) == 200)
    check(page.js("return document.getElementById('venue-url').textContent")
          == f"http://127.0.0.1:{port}/post", "the page shows the attendee page's address")
    shots = os.environ.get("KIOSK_E2E_SHOTS")
    if shots:
        page.js("document.getElementById('venue-panel').scrollIntoView()")
        page.driver.save_screenshot(os.path.join(shots, "admin-venue-switches.png"))

    # Hashtags from the phone. Typed ones stay while the keyboard is closed and the page polls.
    page.fill("#hashtags", "#HarbourCamp, harbour26")
    page.js("document.activeElement.blur()")
    page.driver.execute_async_script("loadStatus().then(arguments[arguments.length - 1])")
    check(page.js("return document.getElementById('hashtags').value")
          == "#HarbourCamp, harbour26", "typed hashtags are not put back by the status poll")
    page.click("#hashtag-form button[type=submit]")
    # Saving rewrites and fsyncs the config and restarts the sources: slow on a busy machine.
    page.wait_card("#message", "Hashtags saved", timeout=30)
    saved = read_json(config_file)
    check(saved["event"]["hashtags"] == ["HarbourCamp", "harbour26"]
          and saved["sources"][0]["hashtags"] == ["HarbourCamp", "harbour26"],
          "hashtags are written to the event and the source")
    check(page.js("return window.pwned === undefined"), "still nothing from a post ran")

    # A second Mastodon server through the form, tried before it is saved.
    mock = MockMastodon()
    try:
        page.driver.execute_script("document.getElementById('source-new-type').value = 'mastodon'")
        page.click("#source-add")
        forms = page.driver.find_elements(page.by.CSS_SELECTOR, "#source-forms fieldset")
        check(len(forms) == 2, "the configured source and the new one each have a form")
        new = forms[-1]
        inputs = new.find_elements(page.by.TAG_NAME, "input")
        inputs[0].send_keys(mock.url)
        inputs[1].send_keys("#HarbourCamp, pier")
        page.press_button(new, "Try it")
        page.wait("the try's answer", lambda: new.find_element(
            page.by.CSS_SELECTOR, ".trial").text not in ("", "Asking the server…"), timeout=20)
        trial = new.find_element(page.by.CSS_SELECTOR, ".trial").text
        check(trial.startswith("4 posts"), f"'Try it' polls the server once: {trial}")
        check(len(read_json(config_file)["sources"]) == 1, "trying does not save")
        shots = os.environ.get("KIOSK_E2E_SHOTS")
        if shots:
            page.driver.execute_script("arguments[0].scrollIntoView()", forms[0])
            page.driver.save_screenshot(os.path.join(shots, "admin-sources.png"))
        page.click("#source-forms-save")
        page.wait_card("#message", "Sources saved", timeout=30)
        sources = read_json(config_file)["sources"]
        check(len(sources) == 2 and sources[1]["server"] == mock.url
              and sources[1]["hashtags"] == ["HarbourCamp", "pier"]
              and sources[0]["url"].startswith("file:"),
              "the form's source is saved beside the first, which keeps its other keys")
        kept = read_json(config_file)["sources"][0]
        page.press_button(page.driver.find_elements(
            page.by.CSS_SELECTOR, "#source-forms fieldset")[-1], "Remove")
        page.click("#source-forms-save")
        page.wait("the removal to be saved",
                  lambda: len(read_json(config_file)["sources"]) == 1)
        check(read_json(config_file)["sources"][0] == kept, "a source is removed through its form")
    finally:
        mock.stop()
    # The wrong token's 401s are the only errors; a script the page could not load is one.
    errors = [e["message"] for e in page.driver.get_log("browser")
              if e["level"] == "SEVERE" and "401 (Unauthorized)" not in e["message"]]
    check(not errors, "the page loads and runs without errors: " + "; ".join(errors))


PHOTO = os.path.join(HERE, "..", "fixtures", "venue", "camera-upright-gps.jpg")
# JavaScript: the bytes of a same-origin URL as a Latin-1 string, and the size it decodes to.
FETCH_BYTES = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => {
  const bytes = new Uint8Array(b);
  let text = '';
  for (const c of bytes) text += String.fromCharCode(c);
  const img = new Image();
  img.onload = () => done({text, width: img.naturalWidth, height: img.naturalHeight});
  img.src = URL.createObjectURL(new Blob([b]));
});
"""


def fits(page, width):
    """Whether the page at this many CSS pixels wide needs no sideways scrolling."""
    page.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 844, "deviceScaleFactor": 3, "mobile": True})
    time.sleep(0.3)
    wide, inner = page.js("return [document.documentElement.scrollWidth, window.innerWidth]")
    if inner != width:
        raise Failed(f"the browser did not take the width {width}: {inner}")
    if wide > width:
        print(f"{page.driver.current_url} is {wide} px wide at {width}", flush=True)
    return wide <= width


def attendee_session(page, port):
    """An attendee posts text and a camera photo from the venue page; the organiser sees the
    photo blurred in the queue, without its location, approves it and it goes on the wall; then
    the attendee takes it off the wall again; the limit answers with its message."""
    driver = page.driver
    driver.get(f"http://127.0.0.1:{port}/post")
    page.wait("the attendee form", lambda: driver.find_element(page.by.ID, "post").is_displayed())
    for width in (360, 390):
        check(fits(page, width), f"the attendee page fits {width} px without sideways scrolling")
    page.wait("the attendee form", lambda: driver.find_element(page.by.ID, "post").is_displayed())
    page.fill("#name", "Lena")
    page.fill("#text", "The choir at the pier tonight was lovely")
    driver.find_element(page.by.ID, "photo").send_keys(os.path.abspath(PHOTO))
    page.click("#send")
    page.wait_card("#post-result", "organiser", timeout=20)
    check(True, "an attendee posts text and a photo without an account")

    driver.get(f"http://127.0.0.1:{port}/")
    card = page.wait_card("#posts .card", "choir at the pier", timeout=15)
    img = card.find_element(page.by.CSS_SELECTOR, "img.picture")
    check("blurred" in img.get_attribute("class"), "the organiser sees the photo blurred")
    shots = os.environ.get("KIOSK_E2E_SHOTS")
    if shots:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", img)
        driver.save_screenshot(os.path.join(shots, "admin-venue-queue.png"))
    kept = driver.execute_async_script(FETCH_BYTES, img.get_attribute("src"))
    with open(PHOTO, "rb") as f:
        original = f.read().decode("latin-1")
    check("Exif" in original and "KioskCam" in original, "the photo sent carried EXIF and GPS")
    check("Exif" not in kept["text"] and "KioskCam" not in kept["text"]
          and "GPS" not in kept["text"], "the photo the wall keeps has no EXIF, GPS or camera")
    check((kept["width"], kept["height"]) == (1280, 1920),
          f"it is upright and at most 1920 px: {kept['width']}x{kept['height']}")
    page.press(img)
    page.wait("the photo to unblur", lambda: "blurred" not in img.get_attribute("class"))
    check(fits(page, 360), "the control page fits 360 px without sideways scrolling")
    page.press_button(page.wait_card("#posts .card", "choir at the pier"), "Approve")
    up = page.wait_card("#next .card, #now .card", "choir at the pier", timeout=15)
    check("Lena" in up.text and "venue" in up.text,
          "the approved attendee post is on the wall under its name, from the venue")

    driver.get(f"http://127.0.0.1:{port}/post")
    mine = page.wait_card("#onscreen .card", "choir at the pier", timeout=20)
    if shots:
        driver.save_screenshot(os.path.join(shots, "attendee-phone.png"))
    page.press_button(mine, "Take off the wall")
    page.wait_card("#removal-result", "off the wall")
    queued = api_get(port, "/api/posts?state=queued")["posts"]
    check(any("choir at the pier" in p["text"] and p["reason_kind"] == "removal_asked"
              for p in queued), "a removal request takes it off the wall and queues it")

    # Three posts a phone in ten minutes: the fourth is told when to try again.
    for n in (2, 3):
        page.fill("#text", f"Post number {n} from the same phone")
        page.click("#send")
        page.wait_card("#post-result", "Thank you", timeout=15)
        driver.execute_script("document.getElementById('post-result').textContent = ''")
    page.fill("#text", "One too many")
    page.click("#send")
    page.wait_card("#post-result", "Please try again in 10 minutes")
    check(True, "the fourth post from one phone is refused with when to try again")
    check(page.js("return window.pwned === undefined"), "nothing from a post ran")


def main():
    if len(sys.argv) != 2:
        print("usage: admin_e2e.py KIOSK_BINARY", file=sys.stderr)
        return 2
    binary = sys.argv[1]
    directory = tempfile.mkdtemp(prefix="kiosk-e2e-")
    port = free_port()
    config_file = write_config(directory, port)
    wall = Wall(binary, config_file, os.path.join(directory, "wall.log"))
    page = None
    ok = False
    try:
        wall.wait_for_port(port)
        page = open_browser()
        organiser_session(page, port, config_file)
        attendee_session(page, port)
        page.driver.quit()
        page = None

        # The config the page wrote loads cleanly and survives a restart.
        wall.stop()
        checked = subprocess.run([binary, "check", "--config", config_file],
                                 capture_output=True, text=True)
        check(checked.returncode == 0, f"kiosk check accepts the written config {checked.stderr}")
        wall = Wall(binary, config_file, wall.log_path)
        wall.wait_for_port(port)
        status = api_get(port, "/api/status")
        check(status["hashtags"] == ["HarbourCamp", "harbour26"]
              and status["moderation"]["panic"] == "off",
              "after a restart the wall runs with what the page set")
        hidden = api_get(port, "/api/posts?state=hidden")
        check(any("coffee in tent B" in p["text"] for p in hidden["posts"]),
              "the hidden post stays hidden")
        ok = True
    except Failed as e:
        print(f"admin e2e: FAILED: {e}", file=sys.stderr)
    finally:
        if page:
            page.driver.quit()
        wall.stop()
        if not ok:
            print(wall.log(), file=sys.stderr)
        shutil.rmtree(directory, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
