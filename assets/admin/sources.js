// The control page's source forms: one form per source, its fields as the wall's source table
// describes them (GET /api/sources "types"), a "Try it" button that polls it once, and saving
// the whole list as the JSON editor would. Keys a form does not show keep their values.
// Uses el(), api(), act() and say() from admin.js.
'use strict';

const LABELS = {
  server: 'Server (https://…)',
  site: 'Site (https://… or name.wordpress.com)',
  url: 'Feed address (https://…)',
  hashtags: 'Hashtags (comma-separated)',
  posts: 'Post numbers (comma-separated)',
  token: 'Access token (optional)',
  identifier: 'Handle (name.bsky.social)',
  app_password: 'App password',
  bearer_token: 'Bearer token',
};

let sourceTypes = [];
let sourceList = [];

function typeOf(source) {
  return sourceTypes.find((t) => t.type === source.type);
}

function listText(value) {
  return Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value);
}

// The value a field's text stands for in the config file.
function fieldValue(kind, text) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (kind === 'tags') return parts.map((t) => t.replace(/^#/, ''));
  if (kind === 'numbers') return parts.map(Number);
  return text.trim();
}

function sourceTitle(source, type) {
  const where = source.server || source.site || source.url || source.identifier || '';
  return (type ? type.name : source.type) + (where ? ' · ' + where : '');
}

function sourceForm(source, index) {
  const type = typeOf(source);
  const form = el('fieldset', 'source');
  form.append(el('legend', '', sourceTitle(source, type)));
  if (!type) {
    form.append(el('p', 'muted', 'Edit this one in the JSON below.'));
    return form;
  }
  for (const field of type.fields) {
    const id = `source-${index}-${field.key}`;
    const label = el('label', '', LABELS[field.key] || field.key);
    label.htmlFor = id;
    const input = el('input');
    input.id = id;
    input.dir = field.kind === 'url' || field.kind === 'secret' ? 'ltr' : 'auto';
    input.type = field.kind === 'secret' ? 'password' : field.kind === 'url' ? 'url' : 'text';
    input.autocomplete = 'off';
    if (field.kind === 'secret') {
      input.placeholder = source[field.key] === '(hidden)' ? 'kept: type to replace' : '';
      input.value = '';
    } else {
      input.value = listText(source[field.key]);
    }
    input.addEventListener('input', () => {
      if (field.kind === 'secret') {
        if (input.value) source[field.key] = input.value;
        else if (input.placeholder) source[field.key] = '(hidden)';
        else delete source[field.key];
      } else {
        const value = fieldValue(field.kind, input.value);
        if ((Array.isArray(value) && value.length) || (!Array.isArray(value) && value)) {
          source[field.key] = value;
        } else {
          delete source[field.key];
        }
      }
    });
    form.append(label, input);
  }
  const result = el('p', 'trial muted');
  result.dir = 'auto';
  result.setAttribute('role', 'status');
  const tryIt = el('button', 'quiet', 'Try it');
  tryIt.type = 'button';
  tryIt.addEventListener('click', async () => {
    tryIt.disabled = true;
    result.textContent = 'Asking the server…';
    try {
      const r = await api('POST', '/api/sources/try', { source });
      if (r.ok) {
        const first = r.sample && r.sample[0];
        result.textContent = `${r.posts} posts` + (first ? `, e.g. ${first.name}: ${first.text}` : '') +
          (r.error ? ` (then: ${r.error})` : '');
        result.className = 'trial state ok';
      } else {
        result.textContent = r.error;
        result.className = 'trial state bad';
      }
    } catch (e) {
      result.textContent = e.message;
      result.className = 'trial state bad';
    }
    tryIt.disabled = false;
  });
  const remove = el('button', 'quiet', 'Remove');
  remove.type = 'button';
  remove.addEventListener('click', () => {
    sourceList.splice(index, 1);
    drawSourceForms();
  });
  const row = el('div', 'row');
  row.append(tryIt, remove);
  form.append(row, result);
  return form;
}

function drawSourceForms() {
  $('source-forms').replaceChildren(...sourceList.map(sourceForm));
}

async function loadSourceForms() {
  const r = await api('GET', '/api/sources');
  sourceTypes = r.types || [];
  sourceList = r.sources;
  $('sources-json').value = JSON.stringify(r.sources, null, 2);
  const seen = new Set();
  $('source-new-type').replaceChildren(...sourceTypes.filter((t) => t.fields.length).map((t) => {
    const option = el('option', '', seen.has(t.name) ? `${t.name} (${t.type})` : t.name);
    seen.add(t.name);
    option.value = t.type;
    return option;
  }));
  drawSourceForms();
}

function wireSourceForms() {
  $('source-add').addEventListener('click', () => {
    sourceList.push({ type: $('source-new-type').value });
    drawSourceForms();
    const forms = $('source-forms').querySelectorAll('fieldset');
    const input = forms[forms.length - 1].querySelector('input');
    if (input) input.focus();
  });
  $('source-forms-save').addEventListener('click', async () => {
    try {
      await api('PUT', '/api/sources', { sources: sourceList });
      say('Sources saved');
      await loadSourceForms(); // the wall's own view: secrets hidden again
      await refresh();
    } catch (e) {
      say(e.message); // the forms keep what was typed, to correct it
    }
  });
}

document.addEventListener('DOMContentLoaded', wireSourceForms);
