'use strict';
// The real-photo evaluation set of the embedded face engine and face-api.js 0.22.2's own numbers on it.
//
//   node make-eval.js                 all stages, in order
//   node make-eval.js crops|pipeline|noface   one stage (later stages read what earlier ones wrote)
//
// Writes under src/test/resources/engine/eval/ (see README.md):
//   crops/<name><n>.png       the 40 portraits of face-api.js's examples (8 people x 5), cut with the fixture crop
//                             convention of make-crops.js (ssdMobilenetv1 0.5, best box, 1.2 x square, 120x120)
//   eval-manifest.json        per crop: person, file, source photo, ssd box and score
//   faceapi-pipeline.json     face-api.js's full pipeline (detector -> 68 landmarks -> aligned face -> descriptor)
//                             on each 120x120 crop, for the tiny and the ssd configuration; the detector study that
//                             chose the tiny input size and the crop padding; the evaluation protocol's numbers
//   noface/*.png, noface/manifest.json   probes without a face and the detectors' best scores on them
const fs = require('fs');
const path = require('path');
const {
  tf, faceapi, FIXTURES, useCpu, loadNet, decodeJpeg, decodePng, writePng, toTensor, faceCrop, sample,
} = require('./common');

// face-api.js's repository (its examples and test images); MIT, LICENSE copied next to the data
const REF = process.env.FACEAPI_JS_DIR || '/work/shared/reference/face-api-js';
const EVAL = path.join(FIXTURES, 'eval');
const PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny', 'raj', 'sheldon', 'stuart'];
const SHOTS = [1, 2, 3, 4, 5];
const INPUT_SIZES = [128, 160, 224, 320, 416];
const TINY_THRESHOLD = 0.5; // TinyFaceDetectorOptions' default scoreThreshold
const SSD_CONFIDENCE = 0.5;
const THRESHOLDS = [0.6, 0.7, 0.75, 0.8];
// ssd resizes every input to 512x512, so one run costs the same on any crop (about 7 s of cpu on the pure-JS backend)
// and no study of its own was affordable: it gets the black 2x padding on which it finds the portraits (it misses
// most of the tight portraits as they are, see eval-manifest.json's convention).
const SSD_PADDING = 'black2';
// The crop variants the detector study tries, in order of preference (the simplest one that works is chosen).
const PADDINGS = ['none', 'black1.5', 'edge1.5', 'black2', 'edge2', 'upscale2'];

const r4 = (v) => Math.round(v * 1e4) / 1e4;
const boxOf = (b) => ({ x: r4(b.x), y: r4(b.y), width: r4(b.width), height: r4(b.height) });

// ---------------------------------------------------------------------------------------------------------------
// Crop variants. Each returns the image given to face-api.js and the map back to crop coordinates:
// padded = crop * scale + offset.

function padded(img, factor, mode) {
  const side = Math.round(Math.max(img.width, img.height) * factor);
  const ox = Math.floor((side - img.width) / 2), oy = Math.floor((side - img.height) / 2);
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let sx = x - ox, sy = y - oy;
      const inside = sx >= 0 && sy >= 0 && sx < img.width && sy < img.height;
      if (!inside && mode === 'black') continue;
      // edge colour: the nearest pixel of the crop's border, i.e. the border rows and columns stretched outwards
      sx = Math.min(img.width - 1, Math.max(0, sx));
      sy = Math.min(img.height - 1, Math.max(0, sy));
      const s = (sy * img.width + sx) * 3, d = (y * side + x) * 3;
      out[d] = img.rgb[s]; out[d + 1] = img.rgb[s + 1]; out[d + 2] = img.rgb[s + 2];
    }
  }
  return { img: { width: side, height: side, rgb: out }, offsetX: ox, offsetY: oy, scale: 1 };
}

function upscaled(img, k) {
  const w = img.width * k, h = img.height * k;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        // bilinear, pixel centres at integer coordinates (as in the crop convention)
        const v = sample(img, Math.min(img.width - 1, Math.max(0, (x + 0.5) / k - 0.5)),
          Math.min(img.height - 1, Math.max(0, (y + 0.5) / k - 0.5)), c);
        out[(y * w + x) * 3 + c] = Math.round(v);
      }
    }
  }
  return { img: { width: w, height: h, rgb: out }, offsetX: 0, offsetY: 0, scale: k };
}

function variant(img, padding) {
  switch (padding) {
    case 'none': return { img, offsetX: 0, offsetY: 0, scale: 1 };
    case 'black1.5': return padded(img, 1.5, 'black');
    case 'edge1.5': return padded(img, 1.5, 'edge');
    case 'black2': return padded(img, 2, 'black');
    case 'edge2': return padded(img, 2, 'edge');
    case 'upscale2': return upscaled(img, 2);
    default: throw new Error('unknown padding ' + padding);
  }
}

const toCrop = (v, p) => ({ x: (p.x - v.offsetX) / v.scale, y: (p.y - v.offsetY) / v.scale });
const boxToCrop = (v, b) => {
  const p = toCrop(v, b);
  return { x: r4(p.x), y: r4(p.y), width: r4(b.width / v.scale), height: r4(b.height / v.scale) };
};

// ---------------------------------------------------------------------------------------------------------------
// Networks (the global nets detectSingleFace uses)

let loaded = false;
async function loadNets() {
  if (loaded) return;
  await useCpu();
  loadNet(faceapi.nets.ssdMobilenetv1, 'ssd_mobilenetv1_model');
  loadNet(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  loadNet(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
  loadNet(faceapi.nets.faceLandmark68TinyNet, 'face_landmark_68_tiny_model');
  loadNet(faceapi.nets.faceRecognitionNet, 'face_recognition_model');
  loaded = true;
}

async function locate(net, img, options) {
  const input = toTensor(img);
  try {
    return await net.locateFaces(input, options);
  } finally {
    input.dispose();
  }
}

const maxScore = (dets) => dets.reduce((m, d) => Math.max(m, d.score), 0);

// ---------------------------------------------------------------------------------------------------------------
// Stage 1: crops

/** A portrait padded to a black square of twice its side (ssd misses most of these tight portraits as they are). */
const DETECT_PAD = 2;

async function makeCrops(people) {
  await loadNets();
  const outDir = path.join(EVAL, 'crops');
  fs.mkdirSync(outDir, { recursive: true });
  const crops = [], missed = [];
  for (const person of people) {
    for (const n of SHOTS) {
      const photo = `${person}/${person}${n}.png`;
      const img = decodePng(path.join(REF, 'examples', 'images', photo));
      const v = padded(img, DETECT_PAD, 'black');
      const dets = await locate(faceapi.nets.ssdMobilenetv1, v.img,
        new faceapi.SsdMobilenetv1Options({ minConfidence: SSD_CONFIDENCE, maxResults: 100 }));
      if (dets.length === 0) {
        console.log(`${photo}: NO FACE at minConfidence ${SSD_CONFIDENCE}`);
        missed.push({ person, source: photo });
        continue;
      }
      const best = dets.reduce((a, b) => (b.score > a.score ? b : a));
      const box = boxToCrop(v, best.box); // back to the photo's own pixels
      const file = `${person}${n}.png`;
      writePng(path.join(outDir, file), faceCrop(img, box));
      crops.push({ person, shot: n, file: `crops/${file}`, source: photo, width: img.width, height: img.height,
        box, score: r4(best.score), detections: dets.length });
      console.log(`${photo}: ${dets.length} face(s), best ${best.score.toFixed(3)} -> ${file}`);
    }
  }
  return { crops, missed };
}

function writeManifest(parts) {
  const crops = parts.flatMap((p) => p.crops), missed = parts.flatMap((p) => p.missed);
  const order = (c) => PEOPLE.indexOf(c.person) * 10 + (c.shot || +c.source.match(/(\d)\.png$/)[1]);
  crops.sort((a, b) => order(a) - order(b));
  const manifest = {
    generator: 'tools/reference/make-eval.js',
    photos: 'face-api.js examples/images/<name>/<name><n>.png, 150x150 greyscale (MIT, see LICENSE-face-api-js)',
    convention: { detector: 'ssdMobilenetv1', minConfidence: SSD_CONFIDENCE, pick: 'highest score', margin: 0.1, size: 120, subSamples: 4,
      detectedOn: `the portrait centred on a black square of ${DETECT_PAD} x its side (the portraits are already tight face cuts, `
        + 'on which ssd at 0.5 finds only 6 of the 40 as they are); the box is mapped back to the portrait\'s pixels and the '
        + 'crop is cut from the portrait itself, outside = black' },
    crops,
    missed,
  };
  fs.writeFileSync(path.join(EVAL, 'eval-manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Stage 2: detector study, full pipeline per crop, evaluation protocol

function readManifest() {
  return JSON.parse(fs.readFileSync(path.join(EVAL, 'eval-manifest.json'), 'utf8'));
}

function readCrop(c) {
  return decodePng(path.join(EVAL, c.file));
}

/** The tiny detector's best score on each crop for one padding and input size. */
async function studyCell(crops, padding, size) {
  const scores = [];
  for (const c of crops) {
    const dets = await locate(faceapi.nets.tinyFaceDetector, variant(readCrop(c), padding).img,
      new faceapi.TinyFaceDetectorOptions({ inputSize: size, scoreThreshold: 0.01 }));
    scores.push(maxScore(dets));
  }
  const hits = scores.filter((s) => s >= TINY_THRESHOLD).length;
  console.log(`tiny ${padding} ${size}: ${hits}/${crops.length}, min best score ${Math.min(...scores).toFixed(3)}`);
  return { hits, minBestScore: r4(Math.min(...scores)), meanBestScore: r4(scores.reduce((x, y) => x + y) / scores.length) };
}

/** One cell of the study to eval/.study-PADDING-SIZE.json (cells can run in parallel; 'study' then uses them). */
async function saveStudyCell(padding, size) {
  await loadNets();
  const cell = await studyCell(readManifest().crops, padding, size);
  fs.writeFileSync(path.join(EVAL, `.study-${padding}-${size}.json`), JSON.stringify(cell));
}

async function detectorStudy(crops) {
  // Input sizes in ascending order; the study stops after the first size at which some padding finds every crop,
  // since only the smallest such size is used (the cpu backend makes each larger size slower).
  const tiny = {};
  PADDINGS.forEach((p) => { tiny[p] = {}; });
  let choice = null;
  for (const size of INPUT_SIZES) {
    for (const padding of PADDINGS) {
      const done = path.join(EVAL, `.study-${padding}-${size}.json`);
      if (fs.existsSync(done)) {
        tiny[padding][size] = JSON.parse(fs.readFileSync(done, 'utf8'));
        fs.unlinkSync(done);
      } else {
        tiny[padding][size] = await studyCell(crops, padding, size);
      }
    }
    const padding = PADDINGS.find((p) => tiny[p][size].hits === crops.length);
    if (padding) { choice = { inputSize: size, padding }; break; }
  }
  return {
    crops: crops.length,
    paddings: {
      none: 'the 120x120 crop as is',
      'black1.5': 'crop centred on a black square of 1.5 x its side (180x180)',
      'edge1.5': 'crop centred on a square of 1.5 x its side (180x180), outside = nearest border pixel of the crop',
      black2: 'crop centred on a black square of 2 x its side (240x240)',
      edge2: 'crop centred on a square of 2 x its side (240x240), outside = nearest border pixel of the crop',
      upscale2: 'crop upscaled 2x bilinear (240x240)',
    },
    preference: PADDINGS,
    tiny: {
      scoreThreshold: TINY_THRESHOLD,
      hit: `best box score >= ${TINY_THRESHOLD}; sizes above the chosen one were not run (the smallest size that works is used)`,
      hitsByPaddingAndInputSize: tiny,
      choice,
    },
  };
}

async function saveStudy() {
  await loadNets();
  const study = await detectorStudy(readManifest().crops);
  if (!study.tiny.choice) throw new Error('no tiny input size + padding finds a face in every crop');
  fs.writeFileSync(path.join(EVAL, '.study.json'), JSON.stringify(study));
}

function readStudy() {
  const f = path.join(EVAL, '.study.json');
  if (fs.existsSync(f)) return JSON.parse(fs.readFileSync(f, 'utf8'));
  return JSON.parse(fs.readFileSync(path.join(EVAL, 'faceapi-pipeline.json'), 'utf8')).detectorStudy;
}

async function runPipeline(crop, padding, tinyInputSize) {
  const v = variant(readCrop(crop), padding);
  const input = toTensor(v.img);
  try {
    const r = tinyInputSize
      ? await faceapi.detectSingleFace(input, new faceapi.TinyFaceDetectorOptions({ inputSize: tinyInputSize, scoreThreshold: TINY_THRESHOLD }))
        .withFaceLandmarks(true).withFaceDescriptor()
      : await faceapi.detectSingleFace(input, new faceapi.SsdMobilenetv1Options({ minConfidence: SSD_CONFIDENCE }))
        .withFaceLandmarks().withFaceDescriptor();
    if (!r) return { file: crop.file, person: crop.person, detection: null };
    return {
      file: crop.file,
      person: crop.person,
      detection: { box: boxToCrop(v, r.detection.box), score: r4(r.detection.score) },
      landmarks: r.landmarks.positions.map((p) => { const q = toCrop(v, p); return [r4(q.x), r4(q.y)]; }),
      alignedRect: boxToCrop(v, r.alignedRect.box),
      descriptor: Array.from(r.descriptor),
    };
  } finally {
    input.dispose();
  }
}

const dist = (a, b) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0));
const scoreOf = (a, b) => 1 - dist(a, b) / 2;
const rate = (n, d) => (d === 0 ? null : r4(n / d));

/** Enrol shot 1 of each person, probe with shots 2-5; and all pairs over all crops. */
function protocol(results) {
  const ok = results.filter((r) => r.descriptor);
  const enrolled = ok.filter((r) => /1\.png$/.test(r.file));
  const probes = ok.filter((r) => !/1\.png$/.test(r.file));
  let rank1 = 0;
  const genuine = [], impostor = [];
  for (const p of probes) {
    const scored = enrolled.map((e) => ({ person: e.person, score: scoreOf(p.descriptor, e.descriptor) }));
    scored.sort((a, b) => b.score - a.score);
    if (scored.length && scored[0].person === p.person) rank1++;
    for (const s of scored) (s.person === p.person ? genuine : impostor).push(s.score);
  }
  const table = (gen, imp) => THRESHOLDS.map((t) => ({
    threshold: t,
    tar: rate(gen.filter((s) => s >= t).length, gen.length),
    far: rate(imp.filter((s) => s >= t).length, imp.length),
  }));
  const same = [], diff = [];
  for (let i = 0; i < ok.length; i++) {
    for (let j = i + 1; j < ok.length; j++) {
      (ok[i].person === ok[j].person ? same : diff).push(scoreOf(ok[i].descriptor, ok[j].descriptor));
    }
  }
  return {
    enrolOneProbeFour: {
      enrolled: enrolled.length, probes: probes.length, genuinePairs: genuine.length, impostorPairs: impostor.length,
      rank1: rate(rank1, probes.length), rank1Hits: rank1,
      genuineScore: stats(genuine), impostorScore: stats(impostor),
      table: table(genuine, impostor),
    },
    allPairs: {
      crops: ok.length, samePairs: same.length, differentPairs: diff.length,
      sameScore: stats(same), differentScore: stats(diff),
      table: table(same, diff), eer: eer(same, diff),
    },
  };
}

function stats(xs) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return { min: r4(s[0]), median: r4(s[Math.floor(s.length / 2)]), mean: r4(s.reduce((a, b) => a + b) / s.length), max: r4(s[s.length - 1]) };
}

/** Equal error rate: the threshold (over every observed score) where FRR and FAR are closest; EER = their mean there. */
function eer(same, diff) {
  const cands = [...new Set([...same, ...diff])].sort((a, b) => a - b);
  let best = null;
  for (const t of cands) {
    const frr = same.filter((s) => s < t).length / same.length;
    const far = diff.filter((s) => s >= t).length / diff.length;
    if (!best || Math.abs(frr - far) < Math.abs(best.frr - best.far)) best = { threshold: r4(t), frr: r4(frr), far: r4(far) };
  }
  return best && { ...best, eer: r4((best.frr + best.far) / 2) };
}

function configs(study) {
  const tc = study.tiny.choice;
  return {
    tiny: { call: `detectSingleFace(crop, new TinyFaceDetectorOptions({inputSize: ${tc.inputSize}, scoreThreshold: ${TINY_THRESHOLD}})).withFaceLandmarks(true).withFaceDescriptor()`,
      padding: tc.padding, inputSize: tc.inputSize },
    ssd: { call: `detectSingleFace(crop, new SsdMobilenetv1Options({minConfidence: ${SSD_CONFIDENCE}})).withFaceLandmarks().withFaceDescriptor()`,
      padding: SSD_PADDING },
  };
}

/** One configuration's results (or the whole-crop baseline) to eval/.pipeline-NAME.json. */
async function savePipelinePart(name, people) {
  await loadNets();
  const crops = readManifest().crops.filter((c) => !people || people.length === 0 || people.includes(c.person));
  const results = [];
  if (name === 'baseline') {
    for (const c of crops) {
      const input = toTensor(readCrop(c));
      results.push({ file: c.file, person: c.person, descriptor: Array.from(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input)) });
      input.dispose();
    }
  } else {
    // the ssd configuration does not depend on the tiny study, so its (slow) shards can start before the study ends
    const cfg = name === 'ssd' ? configs({ tiny: { choice: {} } }).ssd : configs(readStudy())[name];
    for (const c of crops) {
      const t0 = Date.now();
      const r = await runPipeline(c, cfg.padding, cfg.inputSize);
      console.log(`${name} ${c.file}: ${r.detection ? r.detection.score.toFixed(3) : 'NO FACE'} (${Date.now() - t0} ms)`);
      results.push(r);
    }
  }
  const shard = people && people.length ? '-' + people[0] : '';
  fs.writeFileSync(path.join(EVAL, `.pipeline-${name}${shard}.json`), JSON.stringify(results));
}

function mergePipeline() {
  const study = readStudy();
  const crops = readManifest().crops;
  const out = {
    generator: 'tools/reference/make-eval.js',
    faceApi: require('face-api.js/package.json').version,
    tfjsCore: require('@tensorflow/tfjs-core/package.json').version,
    weights: '@vladmandic/face-api@' + require('@vladmandic/face-api/package.json').version,
    backend: 'cpu',
    input: 'each 120x120 crop of eval-manifest.json, padded as the configuration says, as an int32 [h, w, 3] tensor',
    coordinates: 'boxes and landmarks in the 120x120 crop\'s pixels (face-api.js ran on the padded image: crop = (padded - offset) / scale)',
    score: 'score = 1 - euclidean distance / 2',
    detectorStudy: study,
    configurations: {},
  };
  const files = fs.readdirSync(EVAL).filter((f) => f.startsWith('.pipeline-'));
  const order = crops.map((c) => c.file);
  const part = (name) => files.filter((f) => f === `.pipeline-${name}.json` || f.startsWith(`.pipeline-${name}-`))
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(EVAL, f), 'utf8')))
    .sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file));
  for (const [name, cfg] of Object.entries(configs(study))) {
    const v0 = variant(readCrop(crops[0]), cfg.padding);
    const results = part(name);
    if (results.length !== crops.length && !process.env.MAKE_EVAL_PARTIAL) {
      throw new Error(`${name}: results for ${results.length} of ${crops.length} crops`);
    }
    const prot = protocol(results);
    console.log(name, JSON.stringify(prot));
    out.configurations[name] = {
      ...cfg,
      transform: { offsetX: v0.offsetX, offsetY: v0.offsetY, scale: v0.scale, width: v0.img.width, height: v0.img.height },
      found: results.filter((r) => r.detection).length,
      // crops whose run did not finish in time (MAKE_EVAL_PARTIAL=1 merges what there is; the default run has none)
      notRun: order.filter((f) => !results.some((r) => r.file === f)),
      protocol: prot,
      results,
    };
  }
  // The descriptor of the whole crop, no detector and no alignment (what the engine computes today), for comparison.
  const base = protocol(part('baseline'));
  console.log('baseline', JSON.stringify(base));
  out.baselineWholeCropDescriptor = { call: 'faceRecognitionNet.computeFaceDescriptor(crop)', protocol: base };
  fs.writeFileSync(path.join(EVAL, 'faceapi-pipeline.json'), JSON.stringify(out, null, 1) + '\n');
  for (const name of ['tiny', 'baseline']) {
    if (part(name).length !== crops.length) throw new Error(`${name}: results for ${part(name).length} of ${crops.length} crops`);
  }
  [...files, '.study.json'].forEach((f) => fs.unlinkSync(path.join(EVAL, f)));
}

async function makePipeline() {
  await saveStudy();
  for (const name of ['tiny', 'ssd', 'baseline']) await savePipelinePart(name);
  mergePipeline();
}

// ---------------------------------------------------------------------------------------------------------------
// Stage 3: probes without a face

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function texture(size, fn) {
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = fn(x, y);
      rgb.set(c.map((v) => Math.max(0, Math.min(255, Math.round(v)))), (y * size + x) * 3);
    }
  }
  return { width: size, height: size, rgb };
}

function valueNoise(size, cell, seed) {
  const rnd = mulberry32(seed);
  const n = Math.ceil(size / cell) + 2;
  const lattice = Array.from({ length: n * n }, () => rnd() * 255);
  const smooth = (t) => t * t * (3 - 2 * t);
  return texture(size, (x, y) => {
    const gx = x / cell, gy = y / cell, x0 = Math.floor(gx), y0 = Math.floor(gy);
    const fx = smooth(gx - x0), fy = smooth(gy - y0);
    const at = (i, j) => lattice[j * n + i];
    const v = (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
    return [v, v, v];
  });
}

const TEXTURES = [
  ['checkerboard.png', 'checkerboard, 15 px black/white squares, 120x120', () => texture(120, (x, y) => { const v = ((Math.floor(x / 15) + Math.floor(y / 15)) % 2) * 255; return [v, v, v]; })],
  ['stripes.png', 'vertical stripes, 10 px dark blue / 10 px light yellow, 120x120', () => texture(120, (x) => (Math.floor(x / 10) % 2 ? [240, 230, 140] : [20, 30, 90]))],
  ['gradient.png', 'smooth diagonal gradient, red rising left to right, green top to bottom, 120x120', () => texture(120, (x, y) => [x * 255 / 119, y * 255 / 119, 128])],
  ['value-noise.png', 'greyscale value noise, 12 px lattice, smoothstep interpolation, mulberry32 seed 20221130, 120x120', () => valueNoise(120, 12, 20221130)],
  ['grey.png', 'uniform grey 128, 120x120', () => texture(120, () => [128, 128, 128])],
  ['black.png', 'uniform black, 120x120', () => texture(120, () => [0, 0, 0])],
];

/** Face-free patches: top-left corners found by scanning each group photo and kept >= 20 px from every ssd box. */
function freePatches(img, boxes, size, gap, step) {
  const spots = [];
  for (let y = 0; y + size <= img.height; y += step) {
    for (let x = 0; x + size <= img.width; x += step) {
      const clear = boxes.every((b) => x + size + gap <= b.x || x >= b.x + b.width + gap || y + size + gap <= b.y || y >= b.y + b.height + gap);
      if (clear) spots.push({ x, y });
    }
  }
  return spots;
}

function cut(img, x0, y0, size) {
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) rgb.set(img.rgb.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + size) * 3), y * size * 3);
  return { width: size, height: size, rgb };
}

/** Writes the probes and eval/.noface.json (the manifest without scores). */
async function makeNofaceImages() {
  await loadNets();
  const dir = path.join(EVAL, 'noface');
  fs.mkdirSync(dir, { recursive: true });
  const probes = [];
  fs.copyFileSync(path.join(REF, 'test', 'images', 'white.png'), path.join(dir, 'white.png'));
  probes.push({ file: 'white.png', kind: 'copy', what: 'face-api.js test/images/white.png (150x150 white)' });
  const photos = {};
  // boxes of an earlier run of this stage (its log, parsed), to save five slow ssd runs while tuning the patches
  const cache = path.join(EVAL, '.bbt-boxes.json');
  const cached = fs.existsSync(cache) ? JSON.parse(fs.readFileSync(cache, 'utf8')) : {};
  for (let n = 1; n <= 5; n++) {
    const photo = `bbt${n}.jpg`;
    const img = decodeJpeg(path.join(REF, 'examples', 'images', photo));
    if (cached[photo]) {
      photos[photo] = { img, boxes: cached[photo] };
      continue;
    }
    // a lower confidence than the crop convention's 0.5, so that doubtful faces are kept away from too
    const dets = await locate(faceapi.nets.ssdMobilenetv1, img, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.3, maxResults: 100 }));
    photos[photo] = { img, boxes: dets.map((d) => d.box) };
    console.log(`${photo}: ${img.width}x${img.height}, ${dets.length} ssd boxes at 0.3: ${JSON.stringify(dets.map((d) => boxOf(d.box)))}`);
  }
  for (const [photo, size, pick] of PATCHES) {
    const { img, boxes } = photos[photo];
    const spots = freePatches(img, boxes, size, 20, 10);
    const s = spots[Math.min(spots.length - 1, Math.floor(pick * spots.length))];
    if (!s) throw new Error(`no free ${size}px patch in ${photo}`);
    const file = `${photo.replace('.jpg', '')}-${size}-${s.x}-${s.y}.png`;
    writePng(path.join(dir, file), cut(img, s.x, s.y, size));
    probes.push({ file, kind: 'patch', source: `examples/images/${photo}`, x: s.x, y: s.y, size, what: PATCH_NOTES[file] || 'not looked at' });
  }
  for (const [file, what, make] of TEXTURES) {
    writePng(path.join(dir, file), make());
    probes.push({ file, kind: 'texture', what });
  }
  fs.writeFileSync(path.join(EVAL, '.noface.json'), JSON.stringify(probes));
}

/** One detector's best scores ('tiny' or 'ssd') for the probes k, k + n, k + 2n, ... to eval/.noface-DETECTOR-K.json. */
async function checkNoface(k, n, detector) {
  await loadNets();
  const probes = JSON.parse(fs.readFileSync(path.join(EVAL, '.noface.json'), 'utf8')).filter((_, i) => i % n === k);
  const out = [];
  for (const p of probes) {
    const img = decodePng(path.join(EVAL, 'noface', p.file));
    let score;
    if (detector === 'tiny') {
      const tc = readStudy().tiny.choice;
      score = maxScore(await locate(faceapi.nets.tinyFaceDetector, variant(img, tc.padding).img,
        new faceapi.TinyFaceDetectorOptions({ inputSize: tc.inputSize, scoreThreshold: 0.01 })));
    } else {
      score = maxScore(await locate(faceapi.nets.ssdMobilenetv1, variant(img, SSD_PADDING).img,
        new faceapi.SsdMobilenetv1Options({ minConfidence: 0.01, maxResults: 100 })));
    }
    console.log(`${p.file}: ${detector} ${score.toFixed(4)}`);
    out.push({ file: p.file, [`${detector}MaxScore`]: r4(score) });
  }
  fs.writeFileSync(path.join(EVAL, `.noface-${detector}-${k}.json`), JSON.stringify(out));
}

function mergeNoface() {
  const study = readStudy();
  const tc = study.tiny.choice;
  const order = JSON.parse(fs.readFileSync(path.join(EVAL, '.noface.json'), 'utf8')).map((p) => p.file);
  const probes = JSON.parse(fs.readFileSync(path.join(EVAL, '.noface.json'), 'utf8'));
  const parts = fs.readdirSync(EVAL).filter((f) => /^\.noface-(tiny|ssd)-\d+\.json$/.test(f));
  for (const score of parts.flatMap((f) => JSON.parse(fs.readFileSync(path.join(EVAL, f), 'utf8')))) {
    Object.assign(probes[order.indexOf(score.file)], score);
  }
  for (const p of probes) {
    if (p.tinyMaxScore === undefined || p.ssdMaxScore === undefined) throw new Error('no scores for ' + p.file);
    p.detected = p.tinyMaxScore >= TINY_THRESHOLD || p.ssdMaxScore >= SSD_CONFIDENCE;
  }
  const manifest = {
    generator: 'tools/reference/make-eval.js',
    check: {
      tiny: `TinyFaceDetectorOptions({inputSize: ${tc.inputSize}}) on the probe with padding '${tc.padding}' (as the tiny configuration), detection = score >= ${TINY_THRESHOLD}`,
      ssd: `SsdMobilenetv1Options on the probe with padding '${SSD_PADDING}' (as the ssd configuration), detection = score >= ${SSD_CONFIDENCE}`,
      scores: 'max score of any box the detector proposes at threshold 0.01 (0 = no box at all)',
    },
    patchRule: 'patches cut from examples/images/bbt1..5.jpg at least 20 px from every ssd box (minConfidence 0.3) of the whole photo',
    probes,
  };
  fs.writeFileSync(path.join(EVAL, 'noface', 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  [...parts, '.noface.json'].forEach((f) => fs.unlinkSync(path.join(EVAL, f)));
  if (fs.existsSync(path.join(EVAL, '.bbt-boxes.json'))) fs.unlinkSync(path.join(EVAL, '.bbt-boxes.json'));
  const bad = probes.filter((p) => p.detected);
  if (bad.length) throw new Error('face detected in no-face probes: ' + bad.map((p) => p.file).join(', '));
}

async function makeNoface() {
  await makeNofaceImages();
  await checkNoface(0, 1, 'tiny');
  await checkNoface(0, 1, 'ssd');
  mergeNoface();
}

// [photo, patch side, position in the list of free spots (0..1)]
const PATCHES = [
  ['bbt1.jpg', 120, 0.05], ['bbt1.jpg', 120, 0.5], ['bbt1.jpg', 120, 0.95],
  ['bbt2.jpg', 120, 0.1], ['bbt2.jpg', 120, 0.9],
  ['bbt3.jpg', 120, 0.1], ['bbt3.jpg', 120, 0.9],
  ['bbt4.jpg', 120, 0.1], ['bbt4.jpg', 120, 0.9],
  ['bbt5.jpg', 120, 0.5],
  ['bbt1.jpg', 200, 0.1], ['bbt1.jpg', 200, 0.9],
  ['bbt1.jpg', 200, 0.5], ['bbt2.jpg', 200, 0.5], ['bbt3.jpg', 200, 0.5], ['bbt5.jpg', 200, 0.5],
];

// Usage: node make-eval.js                       every stage in one process
//        node make-eval.js crops NAME...          crops of some people only, to eval/.part-NAME.json (run in parallel)
//        node make-eval.js merge-crops            eval-manifest.json from the .part files
//        node make-eval.js study-cell PADDING SIZE | study | pipeline tiny|ssd|baseline [NAME...] | merge-pipeline
//        node make-eval.js noface-images | noface-check K N tiny|ssd | merge-noface
async function main() {
  const [stage, ...rest] = process.argv.slice(2);
  if (!stage) {
    writeManifest([await makeCrops(PEOPLE)]);
    await makePipeline();
    await makeNoface();
    fs.copyFileSync(path.join(REF, 'LICENSE'), path.join(EVAL, 'LICENSE-face-api-js'));
    return;
  }
  fs.mkdirSync(EVAL, { recursive: true });
  if (stage === 'crops') {
    fs.writeFileSync(path.join(EVAL, `.part-${rest[0]}.json`), JSON.stringify(await makeCrops(rest)));
  } else if (stage === 'merge-crops') {
    const parts = fs.readdirSync(EVAL).filter((f) => f.startsWith('.part-'));
    writeManifest(parts.map((f) => JSON.parse(fs.readFileSync(path.join(EVAL, f), 'utf8'))));
    parts.forEach((f) => fs.unlinkSync(path.join(EVAL, f)));
  } else if (stage === 'study') {
    await saveStudy();
  } else if (stage === 'study-cell') {
    await saveStudyCell(rest[0], +rest[1]);
  } else if (stage === 'pipeline') {
    await savePipelinePart(rest[0], rest.slice(1));
  } else if (stage === 'merge-pipeline') {
    mergePipeline();
  } else if (stage === 'noface-images') {
    await makeNofaceImages();
  } else if (stage === 'noface-check') {
    await checkNoface(+rest[0], +rest[1], rest[2]);
  } else if (stage === 'merge-noface') {
    mergeNoface();
    fs.copyFileSync(path.join(REF, 'LICENSE'), path.join(EVAL, 'LICENSE-face-api-js'));
  } else {
    throw new Error('unknown stage ' + stage);
  }
}

// What each patch shows (looked at; none holds a face)
const PATCH_NOTES = {
  'bbt1-120-30-110.png': 'bookshelf, microphone boom and wall (background)',
  'bbt1-120-770-430.png': 'plaid shirt and a hand on a knee',
  'bbt1-120-1070-620.png': 'trouser leg and sofa',
  'bbt2-120-210-70.png': "back of a woman's head (hair, no face) and pink cardigan",
  'bbt2-120-190-330.png': 'salad plate, tray, sleeve and hand',
  'bbt3-120-130-190.png': 'dark suit jacket, edge of a purple dress',
  'bbt3-120-90-260.png': 'dark suit jacket',
  'bbt4-120-390-10.png': 'light backdrop with a logo (an eye symbol)',
  'bbt4-120-450-350.png': 'grey suit, white shirt, black tie',
  'bbt5-120-260-300.png': 'pink top, jeans, striped sleeve',
  'bbt1-200-520-290.png': 'jackets and plaid shirt of two people',
  'bbt1-200-810-410.png': 'hand, knee, plaid shirt and orange sleeve',
  'bbt1-200-1090-530.png': 'trouser leg and sofa',
  'bbt2-200-240-250.png': 'sleeve, hand, tray, bottles and napkin dispenser',
  'bbt3-200-20-180.png': 'suits, a hand in a pocket',
  'bbt5-200-650-250.png': 'red plaid shirt and jacket sleeve',
};

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
module.exports = { runPipeline, loadNets, protocol };
