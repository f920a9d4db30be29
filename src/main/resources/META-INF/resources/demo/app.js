// The demo page's client: plain browser JavaScript, no build step, no third-party code (the page must work offline
// and under a Content-Security-Policy that allows only this file). It calls the public API exactly as any caller
// would, with the bearer token typed into the page.
'use strict';

const API = '/v2/face-recognition';
/** The function's own latest result records (served only while this page is). */
const RECORDS_API = '/v2/crop-search/records';
const RECORDS_LIMIT = 20;

const $ = (id) => document.getElementById(id);

/** Images taken by the camera, waiting to be used instead of a chosen file. */
const snapshots = { enrol: null, probe: null };

function token() {
  return $('token').value.trim();
}

/** One API call; resolves to {status, body} and never throws for an HTTP error status. */
async function call(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + token() };
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    return { status: 0, body: { message: 'network error: ' + e.message, code: 'NetworkError' } };
  }
  let parsed = null;
  try {
    parsed = await response.json();
  } catch (e) {
    parsed = { message: 'the answer is not JSON (HTTP ' + response.status + ')', code: 'NotJson' };
  }
  return { status: response.status, body: parsed };
}

function say(id, text, ok) {
  const el = $(id);
  el.textContent = text;
  el.className = 'status ' + (ok === undefined ? '' : ok ? 'ok' : 'error');
}

/** The contract's error body as one line: "HTTP 409 InvalidParameter: ..." */
function describeError(result) {
  const b = result.body || {};
  if (result.status === 404 && b.code === 'NotFound' && b.message === 'Not found') {
    return 'HTTP 404: this endpoint is not available in this version of the function';
  }
  return 'HTTP ' + result.status + ' ' + (b.code || '') + ': ' + (b.message || JSON.stringify(b));
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** A data URI's base64 part: persons take raw base64 (Verifik's rule); searches take either. */
function base64Of(dataUri) {
  const comma = dataUri.indexOf(',');
  return comma < 0 ? dataUri : dataUri.substring(comma + 1);
}

function thumbnailImg(thumbnails, alt) {
  const img = document.createElement('img');
  img.alt = alt;
  if (thumbnails && thumbnails.length && thumbnails[0].thumbnail) {
    const t = thumbnails[0].thumbnail;
    img.src = t.startsWith('data:') || t.startsWith('https:') ? t : 'data:image/jpeg;base64,' + t;
  }
  return img;
}

// ---- collections ----

async function loadCollections(selectId) {
  const result = await call('GET', API + '/collections');
  if (result.status !== 200) {
    say('collection-status', describeError(result), false);
    return;
  }
  const select = $('collection');
  const keep = selectId !== undefined ? selectId : select.value;
  while (select.options.length > 1) {
    select.remove(1);
  }
  for (const c of result.body.data) {
    const option = document.createElement('option');
    option.value = c._id;
    option.textContent = c.name + ' (' + c._id + ')';
    select.appendChild(option);
  }
  select.value = [...select.options].some((o) => o.value === keep) ? keep : '';
  loadPersons();
  loadRecords();
}

async function createCollection() {
  const name = $('collection-name').value.trim();
  const result = await call('POST', API + '/collections', name ? { name } : {});
  if (result.status !== 200) {
    say('collection-status', describeError(result), false);
    return;
  }
  const c = result.body.data;
  say('collection-status', 'created "' + c.name + '": _id ' + c._id + ', code ' + c.code
    + ' (searches take either as collection_id)', true);
  $('collection-name').value = '';
  await loadCollections(c._id);
}

// ---- persons ----

async function loadPersons() {
  const collection = $('collection').value;
  const query = '?limit=100' + (collection ? '&collection=' + encodeURIComponent(collection) : '');
  const result = await call('GET', API + '/persons' + query);
  const list = $('persons');
  list.replaceChildren();
  $('persons-scope').textContent = collection ? 'in this collection' : 'in the whole gallery';
  if (result.status !== 200) {
    say('enrol-status', describeError(result), false);
    return;
  }
  for (const p of result.body.data) {
    const li = document.createElement('li');
    li.className = 'person';
    li.appendChild(thumbnailImg(p.thumbnails, p.name));
    li.appendChild(document.createTextNode(p.name));
    list.appendChild(li);
  }
}

async function enrol() {
  const name = $('person-name').value.trim();
  const files = [...$('person-files').files];
  const images = [];
  for (const file of files) {
    images.push(base64Of(await readFile(file)));
  }
  if (snapshots.enrol) {
    images.push(base64Of(snapshots.enrol));
  }
  const body = { name, images };
  const collection = $('collection').value;
  if (collection) {
    body.collections = [collection];
  }
  say('enrol-status', 'enrolling...');
  const result = await call('POST', API + '/persons', body);
  if (result.status !== 200) {
    say('enrol-status', describeError(result), false);
    return;
  }
  say('enrol-status', 'enrolled ' + result.body.data.name + ' (_id ' + result.body.data._id + ')', true);
  $('person-name').value = '';
  $('person-files').value = '';
  snapshots.enrol = null;
  await loadPersons();
}

// ---- search ----

/** Draws the probe, and each face box (pixel coordinates of the probe) when one is known. */
function drawProbe(dataUri, boxes) {
  return new Promise((resolve) => {
    const canvas = $('probe');
    const ctx = canvas.getContext('2d');
    const image = new Image();
    image.onload = () => {
      const scale = Math.min(240 / image.width, 240 / image.height, 1);
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      boxes.forEach((box, i) => {
        ctx.strokeStyle = i === 0 ? '#2ea043' : '#d29922';
        ctx.lineWidth = 2;
        ctx.strokeRect(box.left * scale, box.top * scale, (box.right - box.left) * scale,
          (box.bottom - box.top) * scale);
      });
      resolve();
    };
    image.onerror = () => resolve();
    image.src = dataUri;
  });
}

/** Face boxes the search answer gives for the probe, if any; else, for a photo, the ones /detect finds. */
async function probeBoxes(searchBody, kind, probe) {
  const given = [searchBody && searchBody.box, searchBody && searchBody.probe && searchBody.probe.box]
    .filter((b) => b && typeof b.left === 'number');
  if (given.length || kind !== 'photo') {
    return given;
  }
  const detected = await call('POST', API + '/detect', { image: base64Of(probe) });
  if (detected.status !== 200 || !Array.isArray(detected.body.data)) {
    return [];
  }
  return detected.body.data.map((f) => f.box).filter((b) => b && typeof b.left === 'number');
}

function showMatches(matches) {
  const list = $('matches');
  list.replaceChildren();
  if (!matches.length) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = 'no one at or above min_score';
    list.appendChild(li);
    return;
  }
  matches.forEach((m, i) => {
    const li = document.createElement('li');
    li.className = 'match';
    li.dataset.name = m.name;
    li.dataset.score = String(m.score);
    li.appendChild(thumbnailImg(m.thumbnails, m.name));
    const rank = document.createElement('div');
    rank.className = 'rank';
    rank.textContent = '#' + (i + 1);
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = m.name;
    const score = document.createElement('div');
    score.className = 'score';
    score.textContent = Number(m.score).toFixed(4);
    li.append(rank, name, score);
    list.appendChild(li);
  });
}

async function search() {
  const file = $('probe-file').files[0];
  const probe = file ? await readFile(file) : snapshots.probe;
  if (!probe) {
    say('search-status', 'choose a probe image (or take a camera snapshot) first', false);
    return;
  }
  const kind = $('search-kind').value;
  const path = API + (kind === 'photo' ? '/search' : '/search/crops');
  const body = {
    images: [probe],
    min_score: Number($('min-score').value),
    search_mode: $('search-mode').value,
    max_results: Number($('max-results').value),
  };
  const collection = $('collection').value;
  if (collection) {
    body.collection_id = collection;
  }
  $('matches').replaceChildren();
  await drawProbe(probe, []);
  say('search-status', 'searching...');
  const started = performance.now();
  const result = await call('POST', path, body);
  const millis = Math.round(performance.now() - started);
  // Every search leaves a record, refused ones too: show it.
  loadRecords();
  if (result.status !== 200) {
    say('search-status', describeError(result), false);
    return;
  }
  const matches = Array.isArray(result.body.data) ? result.body.data : [];
  say('search-status', matches.length + ' match(es) in ' + millis + ' ms, response id ' + result.body.id, true);
  showMatches(matches);
  await drawProbe(probe, await probeBoxes(result.body, kind, probe));
}

// ---- the function's latest result records ----

/** Where a record's search came from: an HTTP request, or an S3 upload (its bucket and key). */
function describeSource(source) {
  if (!source) {
    return '';
  }
  return source.type === 's3' ? 's3://' + source.bucket + '/' + source.key : 'HTTP';
}

let recordsRequest = 0;

async function loadRecords() {
  const collection = $('collection').value;
  const query = '?limit=' + RECORDS_LIMIT + (collection ? '&collection_id=' + encodeURIComponent(collection) : '');
  // Answers can cross (a refresh during a search): only the latest request's answer is shown.
  const mine = ++recordsRequest;
  const result = await call('GET', RECORDS_API + query);
  if (mine !== recordsRequest) {
    return;
  }
  $('records-scope').textContent = collection ? 'Collection ' + collection + '.'
    : 'No collection picked: the searches that named none.';
  const body = $('records').tBodies[0];
  body.replaceChildren();
  if (result.status !== 200) {
    say('records-status', describeError(result), false);
    return;
  }
  const records = Array.isArray(result.body.data) ? result.body.data : [];
  say('records-status', records.length + ' record(s), newest first', true);
  for (const r of records) {
    const row = body.insertRow();
    row.className = 'record';
    row.dataset.recordId = r.recordId;
    const top = r.topMatch;
    const cells = [
      ['time', (r.createdAt || '').replace('T', ' ').replace('Z', '')],
      ['status', r.status],
      ['endpoint', '/' + (r.endpoint || 'search/crops')],
      ['source', describeSource(r.source)],
      ['top-match', top ? (top.name || top.personId) : ''],
      ['score', top ? Number(top.score).toFixed(4) : ''],
      ['error', r.error ? r.error.code + ': ' + r.error.message : (r.skipReason || '')],
    ];
    for (const [name, value] of cells) {
      const cell = row.insertCell();
      cell.className = name;
      cell.textContent = value === undefined || value === null ? '' : String(value);
    }
    row.cells[1].classList.add('status-' + String(r.status).toLowerCase());
  }
}

// ---- camera ----

let stream = null;

async function startCamera() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say('camera-status', 'no camera API here (it needs https or localhost)', false);
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  } catch (e) {
    say('camera-status', 'camera refused: ' + e.message, false);
    return;
  }
  const video = $('camera');
  video.srcObject = stream;
  video.hidden = false;
  for (const id of ['camera-enrol', 'camera-probe', 'camera-stop']) {
    $(id).disabled = false;
  }
  say('camera-status', 'camera on');
}

function stopCamera() {
  if (stream) {
    stream.getTracks().forEach((t) => t.stop());
    stream = null;
  }
  $('camera').hidden = true;
  for (const id of ['camera-enrol', 'camera-probe', 'camera-stop']) {
    $(id).disabled = true;
  }
  say('camera-status', '');
}

function snapshot(target) {
  const video = $('camera');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  snapshots[target] = canvas.toDataURL('image/jpeg', 0.9);
  if (target === 'probe') {
    $('probe-file').value = '';
    $('search-kind').value = 'photo';
    drawProbe(snapshots.probe, []);
  }
  say('camera-status', target === 'probe' ? 'snapshot taken as the search probe (whole photo)'
    : 'snapshot added to the next enrolment', true);
}

// ---- wiring ----

document.addEventListener('DOMContentLoaded', () => {
  const saved = sessionStorage.getItem('crop-search-demo-token');
  if (saved) {
    $('token').value = saved;
  }
  $('token').addEventListener('change', () => {
    sessionStorage.setItem('crop-search-demo-token', token());
    loadCollections();
  });
  $('refresh-collections').addEventListener('click', () => loadCollections());
  $('collection').addEventListener('change', () => {
    loadPersons();
    loadRecords();
  });
  $('create-collection').addEventListener('click', createCollection);
  $('enrol').addEventListener('click', enrol);
  $('search').addEventListener('click', search);
  $('probe-file').addEventListener('change', () => {
    snapshots.probe = null;
    const file = $('probe-file').files[0];
    if (file) {
      readFile(file).then((uri) => drawProbe(uri, []));
    }
  });
  $('camera-start').addEventListener('click', startCamera);
  $('camera-stop').addEventListener('click', stopCamera);
  $('camera-enrol').addEventListener('click', () => snapshot('enrol'));
  $('camera-probe').addEventListener('click', () => snapshot('probe'));
  $('refresh-records').addEventListener('click', loadRecords);
  loadCollections();
});
