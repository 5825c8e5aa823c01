// End-to-end: the real wall (SDL's dummy video driver, so no display is needed) with its control
// page on 127.0.0.1, driven in Debian's headless Chromium through playwright-core. An organiser
// logs in, approves a queued post and sees it in "up next", hides one, switches panic on and off;
// a post whose name and text carry script and markup shows as text and runs nothing; the config
// the page wrote loads again after a restart.
// Usage: node admin.e2e.mjs KIOSK_BINARY   (exit 77 = skipped: no Chromium or playwright-core)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const kioskBin = process.argv[2];
const chromiumPath = process.env.KIOSK_CHROMIUM || '/usr/bin/chromium';
const token = 'harbour-camp-e2e-token';

function fail(message) {
  console.error(`admin e2e: FAILED: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

function check(condition, message) {
  if (!condition) fail(message);
  console.log(`ok - ${message}`);
}

async function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function writeConfig(dir, port) {
  const config = {
    event: { name: 'Harbour Camp', hashtags: ['HarbourCamp'] },
    display: { layout: 'spotlight' },
    network: { download_media: false, media_cache_dir: path.join(dir, 'media') },
    admin: { listen: '127.0.0.1', port, token },
    storage: { path: path.join(dir, 'wall.db'), max_age_hours: 8760 },
    announcements: [{ id: 'welcome', text: 'Welcome to Harbour Camp! Breakfast until 10:00.' }],
    moderation: { mode: 'pre' },
    sources: [{
      type: 'mastodon', server: 'https://quay.example', hashtags: ['HarbourCamp'],
      url: 'file:' + path.resolve(here, '../fixtures/e2e/mastodon_queue.json'), poll_seconds: 600,
    }],
  };
  const file = path.join(dir, 'kiosk.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function startWall(configFile, logFile) {
  const log = fs.openSync(logFile, 'a');
  return spawn(kioskBin, ['--config', configFile, '--windowed', '1280x720'], {
    env: { ...process.env, SDL_VIDEODRIVER: 'dummy', SDL_AUDIODRIVER: 'dummy' },
    stdio: ['ignore', log, log],
  });
}

async function waitForPort(port, wall, logFile) {
  for (let i = 0; i < 100; i++) {
    if (wall.exitCode !== null) fail(`the wall exited early:\n${fs.readFileSync(logFile, 'utf8')}`);
    const open = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`the control page never listened on ${port}:\n${fs.readFileSync(logFile, 'utf8')}`);
}

async function stopWall(wall) {
  if (wall.exitCode !== null) return;
  const exited = new Promise((resolve) => wall.on('exit', resolve));
  wall.kill('SIGTERM');
  const timer = setTimeout(() => wall.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

async function main() {
  if (!kioskBin) fail('usage: node admin.e2e.mjs KIOSK_BINARY');
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    console.log('skipped: playwright-core is not installed (npm ci in tests/e2e)');
    process.exit(77);
  }
  if (!fs.existsSync(chromiumPath)) {
    console.log(`skipped: no Chromium at ${chromiumPath}`);
    process.exit(77);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));
  const port = await freePort();
  const configFile = writeConfig(dir, port);
  const logFile = path.join(dir, 'wall.log');
  let wall = startWall(configFile, logFile);
  let browser;
  try {
    await waitForPort(port, wall, logFile);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // A phone-sized screen, as an organiser in the room would use.
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    const dialogs = [];
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(`http://127.0.0.1:${port}/`);

    await page.locator('#login').waitFor();
    await page.fill('#token', 'not-the-token');
    await page.click('#login button[type=submit]');
    await page.locator('#message', { hasText: 'token' }).waitFor();
    check(await page.locator('#app').isHidden(), 'a wrong token does not open the page');

    await page.fill('#token', token);
    await page.click('#login button[type=submit]');
    await page.locator('#app').waitFor();
    check(true, 'logged in with the wall token');

    const queue = page.locator('#posts');
    await queue.locator('.card', { hasText: 'Sunrise swim' }).waitFor();
    const evil = queue.locator('.card', { hasText: 'Free stickers' });
    await evil.waitFor();
    const evilText = await evil.locator('.text').textContent();
    check(evilText.includes('<script>window.pwned=1</script>'), 'script in a post shows as text');
    check((await evil.locator('.who').textContent()).includes('<img src=x onerror='),
          'markup in a display name shows as text');
    check(await page.locator('#posts script, #posts img, #posts b').count() === 0,
          'no element was made from post content');
    check(await page.evaluate(() => window.pwned === undefined), 'nothing from a post ran');
    check(dialogs.length === 0, 'no dialog was opened by post content');

    // Approve: the post is up next on the wall.
    await queue.locator('.card', { hasText: 'Sunrise swim' }).getByRole('button', { name: 'Approve' }).click();
    // A fresh approval goes up at the next slot; the card on screen stays at least 8 s.
    await page.locator('#next .card', { hasText: 'Sunrise swim' }).first().waitFor({ timeout: 15000 });
    check(true, 'an approved post appears in the up-next preview');
    if (process.env.KIOSK_E2E_SHOTS) {
      await page.screenshot({ path: path.join(process.env.KIOSK_E2E_SHOTS, 'admin-phone.png'), fullPage: true });
    }
    await queue.locator('.card', { hasText: 'Sunrise swim' }).waitFor({ state: 'detached' });
    check(true, 'the approved post left the queue');

    // Hide: gone from the queue, listed as hidden with the reason.
    await queue.locator('.card', { hasText: 'coffee in tent B' }).getByRole('button', { name: 'Hide' }).click();
    await queue.locator('.card', { hasText: 'coffee in tent B' }).waitFor({ state: 'detached' });
    await page.click('[role=tab][data-state=hidden]');
    await queue.locator('.card', { hasText: 'coffee in tent B' }).locator('.reason', { hasText: 'hidden by organiser' }).waitFor();
    check(true, 'a hidden post is listed as hidden by the organiser');

    // Panic on: the wall shows announcements only; off again: posts are back.
    await page.click('#panic');
    await page.locator('#panic-state', { hasText: 'blank' }).waitFor();
    await page.locator('#now .card', { hasText: 'Welcome to Harbour Camp' }).waitFor({ timeout: 15000 });
    check(JSON.parse(fs.readFileSync(configFile, 'utf8')).moderation.panic === 'announcements',
          'panic is on and written to the config file');
    check(fs.existsSync(configFile + '.bak'), 'the previous config file is kept');
    await page.click('#panic');
    await page.locator('#panic-state', { hasText: 'Posts are showing' }).waitFor();
    check(JSON.parse(fs.readFileSync(configFile, 'utf8')).moderation.panic === 'off',
          'panic is off again in the config file');

    // Hashtags from the phone.
    await page.fill('#hashtags', '#HarbourCamp, harbour26');
    await page.click('#hashtag-form button[type=submit]');
    await page.locator('#message', { hasText: 'Hashtags saved' }).waitFor();
    const saved = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    check(JSON.stringify(saved.event.hashtags) === '["HarbourCamp","harbour26"]' &&
          JSON.stringify(saved.sources[0].hashtags) === '["HarbourCamp","harbour26"]',
          'hashtags are written to the event and the source');
    check(await page.evaluate(() => window.pwned === undefined), 'still nothing from a post ran');
    check(consoleErrors.every((e) => !/Content Security Policy/.test(e)),
          'the page itself needs nothing the policy forbids: ' + consoleErrors.join('; '));
    await browser.close();
    browser = null;

    // The config the page wrote loads cleanly and survives a restart.
    await stopWall(wall);
    const checked = spawnSync(kioskBin, ['check', '--config', configFile], { encoding: 'utf8' });
    check(checked.status === 0, `kiosk check accepts the written config ${checked.stderr}`);
    wall = startWall(configFile, logFile);
    await waitForPort(port, wall, logFile);
    const status = await fetch(`http://127.0.0.1:${port}/api/status`, {
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.json());
    check(JSON.stringify(status.hashtags) === '["HarbourCamp","harbour26"]' &&
          status.moderation.panic === 'off', 'after a restart the wall runs with what the page set');
    const hidden = await fetch(`http://127.0.0.1:${port}/api/posts?state=hidden`, {
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.json());
    check(hidden.posts.some((p) => p.text.includes('coffee in tent B')), 'the hidden post stays hidden');
  } finally {
    if (browser) await browser.close();
    await stopWall(wall);
    if (process.exitCode) console.error(fs.readFileSync(logFile, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
