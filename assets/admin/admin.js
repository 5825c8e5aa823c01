// The control page's behaviour. Everything that comes from a post (text, names, links) is
// untrusted: it only ever goes into the page through textContent, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
let csrf = '';
let state = 'queued';
let panicOn = false;
let timer = null;
// Hashtags the organiser has typed and not saved yet: the status poll every 3 s must not put the
// saved ones back over them, also once the phone's keyboard has closed and the field lost focus.
let hashtagsEdited = false;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function say(text) {
  $('message').textContent = text;
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { $('message').textContent = ''; }, 4000);
}

async function api(method, path, body) {
  const options = { method, credentials: 'same-origin', headers: {} };
  if (method !== 'GET') {
    options.headers['X-CSRF-Token'] = csrf;
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body || {});
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && path !== '/api/login') {
    showLogin();
  }
  if (!response.ok) {
    throw new Error(data.error || `${method} ${path}: HTTP ${response.status}`);
  }
  return data;
}

// Runs an action, reports its error on the page, and refreshes what it changed.
async function act(what, fn) {
  try {
    await fn();
    say(what);
    await refresh();
  } catch (e) {
    say(e.message);
  }
}

// Text written by someone else: its own direction (Arabic, Hebrew), never markup.
function userText(tag, className, text) {
  const node = el(tag, className, text);
  node.dir = 'auto';
  return node;
}

// A picture the wall has cached, served by the wall itself (same origin). Pictures of posts
// not approved yet, and those behind a content warning, stay blurred until tapped.
function picture(src, alt, blurred) {
  const img = el('img', 'picture' + (blurred ? ' blurred' : ''));
  img.src = src;
  img.alt = alt || '';
  img.loading = 'lazy';
  if (blurred) {
    img.title = 'Tap to see the picture';
    img.addEventListener('click', () => img.classList.remove('blurred'), { once: true });
  }
  return img;
}

function card(post, actions) {
  const item = el('li', 'card');
  item.dataset.id = post.id;
  const who = el('div', 'head');
  if (post.avatar) {
    const avatar = el('img', 'avatar');
    avatar.src = post.avatar;
    avatar.alt = '';
    who.append(avatar);
  }
  who.append(userText('span', 'who', post.name || post.handle || 'Someone'), ' ');
  who.append(userText('span', 'meta', [post.handle, post.source].filter(Boolean).join(' · ')));
  item.append(who);
  if (post.spoiler) item.append(userText('div', 'warning', 'Content warning: ' + post.spoiler));
  item.append(userText('div', 'text', post.text));
  if (post.picture) {
    const waiting = Boolean(actions) && state === 'queued'; // the queue, not the wall now
    item.append(picture(post.picture, post.picture_alt, waiting || post.sensitive || !!post.spoiler));
  }
  const extra = [];
  if (post.pictures) extra.push(post.pictures === 1 ? '1 picture' : `${post.pictures} pictures`);
  if (post.pinned) extra.push('pinned');
  if (extra.length) item.append(el('div', 'meta', extra.join(' · ')));
  if (post.reason) item.append(el('div', 'reason', post.reason));
  if (actions) {
    const row = el('div', 'row');
    for (const [label, cls, fn] of actions) {
      const b = el('button', cls, label);
      b.addEventListener('click', fn);
      row.append(b);
    }
    item.append(row);
  }
  return item;
}

function postActions(post) {
  const acts = [];
  if (state !== 'shown') acts.push(['Approve', 'ok', () => act('Approved', () => api('POST', '/api/posts/approve', { id: post.id }))]);
  if (state !== 'hidden') acts.push(['Hide', 'quiet', () => act('Hidden', () => api('POST', '/api/posts/hide', { id: post.id }))]);
  if (post.pinned) {
    acts.push(['Unpin', 'quiet', () => act('Unpinned', () => api('POST', '/api/posts/unpin', { id: post.id }))]);
  } else if (state !== 'hidden') {
    acts.push(['Pin', 'quiet', () => act('Pinned', () => api('POST', '/api/posts/pin', { id: post.id }))]);
  }
  if (post.handle) {
    acts.push(['Block author', 'quiet', () => {
      if (confirm(`Block ${post.handle}? Their posts leave the wall.`)) {
        act('Blocked', () => api('POST', '/api/blocks', { kind: 'author', value: post.handle }));
      }
    }]);
  }
  return acts;
}

function fill(list, items) {
  list.replaceChildren(...items);
}

async function loadStatus() {
  const s = await api('GET', '/api/status');
  $('event').textContent = s.event;
  $('disk-full').hidden = !s.disk_full;
  panicOn = s.moderation.panic !== 'off';
  $('panic-panel').classList.toggle('on', panicOn);
  $('panic-state').textContent = panicOn
    ? 'The wall is blank: only announcements show.'
    : 'Posts are showing.';
  $('panic').textContent = panicOn ? 'Show posts again' : 'Blank the wall';
  $('panic').className = panicOn ? 'ok' : 'danger';
  if (document.activeElement !== $('mode')) $('mode').value = s.moderation.mode;
  fill($('now'), s.current.length ? s.current.map((p) => card(p)) : [el('p', 'muted', 'Nothing on the wall yet.')]);
  fill($('next'), s.up_next.map((p) => card(p)));
  for (const k of ['queued', 'shown', 'hidden']) $('count-' + k).textContent = `(${s.counts[k]})`;
  fill($('sources'), s.sources.map((h) => {
    const li = el('li');
    li.append(el('span', !h.ok ? 'health-bad' : h.warning ? 'health-warn' : 'health-ok', h.summary));
    return li;
  }));
  if (!hashtagsEdited && document.activeElement !== $('hashtags')) $('hashtags').value = s.hashtags.join(', ');
  showVenue(s.venue);
  showGroup(s.group);
}

// The attendee page's switches; its address is the one the wall's QR code would carry.
function showVenue(venue) {
  $('venue-url').textContent = venue.url;
  $('venue-url').href = venue.url;
  $('venue-open').checked = venue.enabled;
  $('venue-qr').checked = venue.qr;
  $('venue-approve').checked = venue.approve_first;
}

// The wall group's screens: online or not, what each shows and which sources it fetches.
function showGroup(group) {
  $('group-panel').hidden = !group;
  if (!group) return;
  $('group-summary').textContent = `Group ${group.name} on ${group.broker}: ` +
    (group.connected ? 'connected' : 'broker unreachable; this screen carries on alone');
  fill($('group-screens'), group.screens.map((g) => {
    const li = el('li', 'screen');
    const title = g.screen + (g.this ? ' (this screen)' : '') + (g.online ? '' : ' — offline');
    li.append(el('strong', g.online ? 'health-ok' : 'health-bad', title));
    li.append(el('div', 'meta', g.showing.length ? 'showing ' + g.showing.join(', ') : 'showing nothing yet'));
    li.append(el('div', 'meta', g.fetches.length ? 'fetches ' + g.fetches.join('; ') : 'fetches nothing'));
    for (const line of g.health) li.append(el('div', 'meta', line));
    return li;
  }));
}

async function loadPosts() {
  const q = encodeURIComponent($('search').value);
  const data = await api('GET', `/api/posts?state=${state}&q=${q}&limit=50`);
  fill($('posts'), data.posts.length
    ? data.posts.map((p) => card(p, postActions(p)))
    : [el('p', 'muted', 'No posts here.')]);
}

async function loadBlocks() {
  const b = await api('GET', '/api/blocks');
  const row = (kind, value) => {
    const li = el('li');
    li.append(el('span', '', value));
    const un = el('button', 'quiet', 'Unblock');
    un.addEventListener('click', () => act('Unblocked', () => api('POST', '/api/blocks/remove', { kind, value })));
    li.append(un);
    return li;
  };
  fill($('blocks'), [...b.authors.map((v) => row('author', v)), ...b.domains.map((v) => row('domain', v))]);
}

async function loadAnnouncements() {
  const a = await api('GET', '/api/announcements');
  fill($('announcements'), a.announcements.map((x) => {
    const li = el('li');
    li.append(userText('span', '', x.text + (x.until ? ` (until ${x.until})` : '')));
    const del = el('button', 'quiet', 'Delete');
    // One written in the config file is deleted from the file too (the old file is kept as .bak).
    const done = x.in_config_file ? 'Deleted, and removed from the config file' : 'Deleted';
    del.addEventListener('click', () => act(done, () => api('POST', '/api/announcements/delete', { id: x.id })));
    li.append(del);
    return li;
  }));
}

async function refresh() {
  await Promise.all([loadStatus(), loadPosts(), loadBlocks(), loadAnnouncements()]);
}

function showLogin() {
  clearInterval(timer);
  timer = null;
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
}

// Someone who came in by the setup card's link never saw the token: the page shows it to
// whoever holds a session (who may do everything the token does anyway).
async function showToken() {
  const s = await api('GET', '/api/session');
  $('wall-token').value = s.token || '';
  $('token-panel').hidden = !s.token;
}

async function showApp() {
  showToken().catch(() => {});
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  await refresh();
  await loadSourceForms(); // sources.js
  clearInterval(timer);
  timer = setInterval(() => loadStatus().catch(() => {}), 3000);
}

function wire() {
  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api('POST', '/api/login', { token: $('token').value });
      csrf = r.csrf;
      $('token').value = '';
      await showApp();
    } catch (err) {
      say(err.message);
    }
  });
  $('logout').addEventListener('click', async () => {
    await api('POST', '/api/logout').catch(() => {});
    csrf = '';
    showLogin();
  });
  $('panic').addEventListener('click', () => {
    const next = panicOn ? 'off' : 'announcements';
    act(next === 'off' ? 'Posts are back' : 'Wall blanked', () => api('PUT', '/api/moderation', { panic: next }));
  });
  $('mode').addEventListener('change', () => act('Mode saved', () => api('PUT', '/api/moderation', { mode: $('mode').value })));
  const venueSwitches = { 'venue-open': 'enabled', 'venue-qr': 'qr', 'venue-approve': 'approve_first' };
  for (const [id, key] of Object.entries(venueSwitches)) {
    $(id).addEventListener('change', () => act('Attendee page saved', () => api('PUT', '/api/attendees', { [key]: $(id).checked })));
  }
  for (const tab of document.querySelectorAll('[role=tab]')) {
    tab.addEventListener('click', () => {
      state = tab.dataset.state;
      for (const t of document.querySelectorAll('[role=tab]')) t.setAttribute('aria-selected', String(t === tab));
      loadPosts().catch((e) => say(e.message));
    });
  }
  let searchTimer = null;
  $('search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => loadPosts().catch((e) => say(e.message)), 300);
  });
  $('block-form').addEventListener('submit', (e) => {
    e.preventDefault();
    act('Blocked', () => api('POST', '/api/blocks', { kind: $('block-kind').value, value: $('block-value').value }))
      .then(() => { $('block-value').value = ''; });
  });
  $('announce-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const until = $('announce-until').value;
    const body = { text: $('announce-text').value };
    if (until) body.until = new Date(until).toISOString().replace(/\.\d+Z$/, 'Z');
    act('Announcement added', () => api('POST', '/api/announcements', body))
      .then(() => { $('announce-text').value = ''; });
  });
  $('hashtags').addEventListener('input', () => { hashtagsEdited = true; });
  $('hashtag-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const tags = $('hashtags').value.split(/[\s,]+/).map((t) => t.replace(/^#/, '')).filter(Boolean);
    act('Hashtags saved', async () => {
      await api('PUT', '/api/hashtags', { hashtags: tags });
      hashtagsEdited = false;
    });
  });
  // Asked twice, then the words themselves are sent: no single tap deletes an event.
  $('wipe').addEventListener('click', () => {
    if (!confirm('Delete every post, picture and decision this wall keeps?')) return;
    if (!confirm('This cannot be undone. Delete everything now?')) return;
    act('Everything was deleted', () => api('POST', '/api/wipe', { confirm: 'delete everything' }));
  });
  $('sources-save').addEventListener('click', () => {
    let list;
    try {
      list = JSON.parse($('sources-json').value);
    } catch (e) {
      say('Sources: not valid JSON: ' + e.message);
      return;
    }
    act('Sources saved', () => api('PUT', '/api/sources', { sources: list }))
      .then(() => loadSourceForms().catch(() => {}));
  });
}

// The wall's setup card links here with a one-time code after "#setup=" (a fragment never
// leaves the phone: no server log or Referer sees it). It logs in once, like the token.
async function setupLogin() {
  const match = location.hash.match(/^#setup=([0-9a-f]{16,128})$/);
  if (!match) return false;
  history.replaceState(null, '', location.pathname);
  try {
    const r = await api('POST', '/api/login', { token: match[1] });
    csrf = r.csrf;
    await showApp();
    say('Welcome: the setup card is gone from the screen. Keep the token below.');
    $('token-panel').open = true;
    return true;
  } catch (err) {
    showLogin();
    say('The setup link was used already; log in with the wall\'s token.');
    return true;
  }
}

async function start() {
  wire();
  if (await setupLogin()) return;
  try {
    const s = await api('GET', '/api/session');
    if (!s.csrf) throw new Error('no session');
    csrf = s.csrf;
    await showApp();
  } catch (e) {
    showLogin();
  }
}

start();
