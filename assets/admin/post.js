// The attendee page: posts from a phone on the venue network, and "take my post off the wall".
// Everything on it is built with textContent: post text is never markup.
'use strict';

const $ = (id) => document.getElementById(id);
const HEADERS = { 'X-Kiosk-Venue': '1' };
let maxText = 500;

async function ask(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...options });
  } catch (e) {
    return { ok: false, body: { error: 'The wall cannot be reached. Are you on the venue Wi-Fi?' } };
  }
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    body = { error: 'The wall answered ' + response.status + '.' };
  }
  const retryAfter = Number(response.headers.get('Retry-After')) || 0;
  return { ok: response.ok, status: response.status, body, retryAfter };
}

const sleep = (seconds) => new Promise((done) => setTimeout(done, seconds * 1000));

function say(id, text, good) {
  const el = $(id);
  el.textContent = text;
  el.className = 'state ' + (good ? 'ok' : 'bad');
}

function characters(text) {
  return Array.from(text).length;
}

function updateCount() {
  const n = characters($('text').value);
  $('count').textContent = String(n);
  $('count').className = n > maxText ? 'bad' : '';
}

async function send(event) {
  event.preventDefault();
  const text = $('text').value.trim();
  const photo = $('photo').files[0];
  if (!text && !photo) {
    say('post-result', 'Write something or add a photo.', false);
    return;
  }
  if (characters(text) > maxText) {
    say('post-result', 'Please shorten your text to ' + maxText + ' characters.', false);
    return;
  }
  const form = new FormData();
  form.append('name', $('name').value.trim());
  form.append('text', text);
  if (photo) {
    form.append('photo', photo, 'photo');
  }
  $('send').disabled = true;
  say('post-result', photo ? 'Sending your photo…' : 'Sending…', true);
  // A busy wall (many photos at once, one prepared at a time) says when to come back: the
  // page sends again by itself, a few times, rather than leave that to the attendee.
  let r = await ask('/api/venue/posts', { method: 'POST', headers: HEADERS, body: form });
  for (let attempt = 0; attempt < 6 && r.status === 503 && r.retryAfter > 0; ++attempt) {
    const wait = Math.min(r.retryAfter, 30) + Math.random() * 2;
    say('post-result', 'The wall is busy; sending again in ' + Math.round(wait) + ' s…', true);
    await sleep(wait);
    r = await ask('/api/venue/posts', { method: 'POST', headers: HEADERS, body: form });
  }
  $('send').disabled = false;
  if (r.ok) {
    say('post-result', r.body.message, true);
    $('text').value = '';
    $('photo').value = '';
    showPreview();
    updateCount();
  } else {
    say('post-result', r.body.error || 'The wall refused it.', false);
  }
}

function showPreview() {
  const photo = $('photo').files[0];
  const img = $('preview');
  if (img.src.startsWith('blob:')) {
    URL.revokeObjectURL(img.src);
  }
  img.removeAttribute('src');
  img.hidden = !photo;
  if (photo) {
    img.src = URL.createObjectURL(photo);
  }
}

async function remove(body) {
  const r = await ask('/api/venue/removals', {
    method: 'POST',
    headers: { ...HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  say('removal-result', r.ok ? r.body.message : r.body.error || 'The wall refused it.', r.ok);
  if (r.ok) {
    loadOnScreen();
  }
}

async function loadOnScreen() {
  const r = await ask('/api/venue/onscreen');
  const list = $('onscreen');
  list.replaceChildren();
  if (!r.ok) {
    return;
  }
  for (const post of r.body.posts) {
    const li = document.createElement('li');
    li.className = 'card';
    // The name in its own direction, the handle always left to right: an Arabic name beside a
    // Latin handle must not swap their pieces around.
    const who = document.createElement('div');
    who.className = 'head';
    const name = document.createElement('bdi');
    name.className = 'who';
    name.textContent = post.name;
    who.append(name);
    if (post.handle) {
      const handle = document.createElement('span');
      handle.className = 'meta';
      handle.dir = 'ltr';
      handle.textContent = post.handle;
      who.append(handle);
    }
    const words = document.createElement('p');
    words.className = 'text';
    words.dir = 'auto';
    words.textContent = post.text;
    const button = document.createElement('button');
    button.className = 'quiet';
    button.textContent = 'Take off the wall';
    button.addEventListener('click', () => remove({ id: post.id }));
    li.append(who, words, button);
    list.append(li);
  }
}

async function start() {
  const r = await ask('/api/venue');
  if (!r.ok) {
    $('closed').hidden = false;
    if (r.body.error) {
      $('closed').textContent = r.body.error;
    }
    return;
  }
  maxText = r.body.max_text;
  $('max').textContent = String(maxText);
  $('event').textContent = r.body.event;
  $('wait-note').textContent = r.body.approve_first
    ? 'An organiser looks at every post before it shows.'
    : 'Your post shows on the wall within a minute.';
  $('post').hidden = false;
  $('removal').hidden = false;
  $('post').addEventListener('submit', send);
  $('text').addEventListener('input', updateCount);
  $('photo').addEventListener('change', showPreview);
  $('by-link').addEventListener('submit', (e) => {
    e.preventDefault();
    remove({ link: $('link').value.trim() });
  });
  loadOnScreen();
  setInterval(loadOnScreen, 15000);
}

start();
