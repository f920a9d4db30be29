'use strict';
// Which detector for whole photos: face-api.js 0.22.2's TinyFaceDetector at larger input sizes against its
// SsdMobilenetv1 (cpu backend, weights of @vladmandic/face-api 1.7.15), on face-api.js's group photos
// examples/images/bbt1..5.jpg and its test photo test/images/faces.jpg.
//
//   node make-photo-detection.js            # writes src/test/resources/engine/photo-detection.json (about 5 min
//                                           # on an idle machine: ssd takes 10-30 s a photo on the cpu backend)
//
// test/images/faces.jpg is byte for byte examples/images/bbt4.jpg, so it is studied once, as bbt4.jpg with the test's
// expectations. The decoded pixels go to src/test/resources/engine/detector/<name>.png (faces.jpg.png stands for
// bbt4; existing files there are the same jpeg-js decodes, rewritten identically).
//
// The tiny detector is run twice per size: on the photo as it is (face-api.js: tfjs's bilinear resize straight to
// the input size) and on the photo first scaled down by area averaging so that its longer side is the input size
// (what io.cropsearch.engine.face.FacePipeline does with a photo, `areaDownscale` below = `Downscale.area` in Java,
// the same double arithmetic, so the Java test can require the same pixels and the same boxes).
// A tiny box counts as finding an ssd face when the ssd box's centre lies inside it and their IOU is at least 0.3.
const fs = require('fs');
const path = require('path');
const { tf, faceapi, FIXTURES, useCpu, loadNet, decodeJpeg, writePng, toTensor } = require('./common');

const FACEAPI_JS = process.env.FACEAPI_JS_DIR || '/work/shared/reference/face-api-js';
const PHOTOS = [1, 2, 3, 4, 5].map((i) => ['bbt' + i + '.jpg', path.join(FACEAPI_JS, 'examples', 'images', 'bbt' + i + '.jpg')]);
const DECODED_NAME = { 'bbt4.jpg': 'faces.jpg' }; // the same file
const SIZES = [416, 512, 608, 704, 800];
const SSD_MIN_CONFIDENCE = 0.5;
const TINY_SCORE = 0.5;
const DECODED = path.join(FIXTURES, 'detector');

/**
 * Area averaging (a box filter with fractional coverage): each output pixel is the mean of the source area it covers,
 * separable, in double; rounded to the nearest level. Only for shrinking. Same order of operations as Downscale.area.
 */
function areaDownscale(img, dw, dh) {
  const sw = img.width, sh = img.height;
  const sx = sw / dw, sy = sh / dh;
  const out = new Uint8Array(dw * dh * 3);
  const row = new Float64Array(dw * 3);
  const acc = new Float64Array(dw * 3);
  const xs = spans(sw, dw, sx);
  const ys = spans(sh, dh, sy);
  for (let y = 0; y < dh; y++) {
    acc.fill(0);
    const { first: fy, weights: wy } = ys[y];
    for (let j = 0; j < wy.length; j++) {
      const src = (fy + j) * sw * 3;
      for (let x = 0; x < dw; x++) {
        const { first: fx, weights: wx } = xs[x];
        let r = 0, g = 0, b = 0;
        for (let i = 0; i < wx.length; i++) {
          const p = src + (fx + i) * 3;
          r += wx[i] * img.rgb[p];
          g += wx[i] * img.rgb[p + 1];
          b += wx[i] * img.rgb[p + 2];
        }
        acc[x * 3] += wy[j] * r;
        acc[x * 3 + 1] += wy[j] * g;
        acc[x * 3 + 2] += wy[j] * b;
      }
    }
    for (let k = 0; k < dw * 3; k++) {
      out[y * dw * 3 + k] = Math.min(255, Math.max(0, Math.round(acc[k])));
    }
  }
  return { width: dw, height: dh, rgb: out };
}

/** Per output pixel: the first source pixel it covers and each covered pixel's share (overlap / scale). */
function spans(srcLen, dstLen, scale) {
  const list = [];
  for (let d = 0; d < dstLen; d++) {
    const start = d * scale;
    const end = Math.min(srcLen, (d + 1) * scale);
    const first = Math.floor(start);
    const last = Math.min(srcLen - 1, Math.ceil(end) - 1);
    const weights = [];
    for (let s = first; s <= last; s++) {
      weights.push((Math.min(end, s + 1) - Math.max(start, s)) / scale);
    }
    list.push({ first, weights });
  }
  return list;
}

/** The size a photo is scaled to for one input size: longer side = inputSize (Math.round for the other side, at least 1). */
function targetSize(w, h, inputSize) {
  const long = Math.max(w, h);
  if (long <= inputSize) return null;
  const f = inputSize / long;
  return w >= h ? [inputSize, Math.max(1, Math.round(h * f))] : [Math.max(1, Math.round(w * f)), inputSize];
}

function iou(a, b) {
  const x0 = Math.max(a.x, b.x), y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width), y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inter / (a.width * a.height + b.width * b.height - inter);
}

function matches(tiny, ssd) {
  const cx = ssd.x + ssd.width / 2, cy = ssd.y + ssd.height / 2;
  return cx >= tiny.x && cx <= tiny.x + tiny.width && cy >= tiny.y && cy <= tiny.y + tiny.height && iou(tiny, ssd) >= 0.3;
}

function found(tinyBoxes, ssdBoxes) {
  return ssdBoxes.filter((s) => tinyBoxes.some((t) => matches(t, s))).length;
}

const box = (d, f = 1) => ({ x: d.box.x * f, y: d.box.y * f, width: d.box.width * f, height: d.box.height * f, score: d.score });

async function main() {
  await useCpu();
  const ssd = loadNet(new faceapi.SsdMobilenetv1(), 'ssd_mobilenetv1_model');
  const tiny = loadNet(new faceapi.TinyFaceDetector(), 'tiny_face_detector_model');
  fs.mkdirSync(DECODED, { recursive: true });
  const out = {
    generator: 'tools/reference/make-photo-detection.js',
    faceApi: require('face-api.js/package.json').version,
    weights: '@vladmandic/face-api@' + require('@vladmandic/face-api/package.json').version,
    ssdMinConfidence: SSD_MIN_CONFIDENCE, tinyScoreThreshold: TINY_SCORE, sizes: SIZES,
    match: 'ssd box centre inside the tiny box and IOU >= 0.3',
    photos: [],
  };
  for (const [name, file] of PHOTOS) {
    const img = decodeJpeg(file);
    // the decoded pixels, so that the Java test starts from the same bytes as this script (jpeg-js vs JpegDecoder)
    const decoded = (DECODED_NAME[name] || name) + '.png';
    writePng(path.join(DECODED, decoded), img);
    const input = toTensor(img);
    let t0 = Date.now();
    const ssdBoxes = (await ssd.locateFaces(input, new faceapi.SsdMobilenetv1Options({ minConfidence: SSD_MIN_CONFIDENCE })))
      .map((d) => box(d));
    const entry = { name, file: 'detector/' + decoded, width: img.width, height: img.height, ssd: ssdBoxes, ssdMs: Date.now() - t0, tiny: [] };
    console.log(`${name} ${img.width}x${img.height}: ssd ${ssdBoxes.length} faces (${entry.ssdMs} ms)`);
    for (const inputSize of SIZES) {
      t0 = Date.now();
      const plain = (await tiny.locateFaces(input, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: TINY_SCORE })))
        .map((d) => box(d));
      const plainMs = Date.now() - t0;
      const size = targetSize(img.width, img.height, inputSize);
      let scaled = plain;
      if (size) {
        const small = areaDownscale(img, size[0], size[1]);
        const t = toTensor(small);
        const f = img.width / size[0];
        const fy = img.height / size[1];
        scaled = (await tiny.locateFaces(t, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: TINY_SCORE })))
          .map((d) => ({ x: d.box.x * f, y: d.box.y * fy, width: d.box.width * f, height: d.box.height * fy, score: d.score,
            scaledImageBox: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height } }));
        t.dispose();
      }
      const row = { inputSize, scaledTo: size, plain, plainFound: found(plain, ssdBoxes), scaled, scaledFound: found(scaled, ssdBoxes), plainMs };
      entry.tiny.push(row);
      console.log(`  tiny ${inputSize}: plain ${plain.length} boxes, ${row.plainFound}/${ssdBoxes.length} ssd faces; ` +
        `area-scaled ${scaled.length} boxes, ${row.scaledFound}/${ssdBoxes.length} (${plainMs} ms)`);
    }
    input.dispose();
    out.photos.push(entry);
  }
  addPolicy(out);
  fs.writeFileSync(path.join(FIXTURES, 'photo-detection.json'), JSON.stringify(out, null, 1) + '\n');
}

// FacePipeline's photo pass (FacePipeline.detectPhoto): the boxes found at 416 (area-scaled), then those found at 512
// that no 416 box already holds (one box's centre inside the other: the same face; the tiny detector's boxes for one
// face grow with the input size, so their IOU can be low). Largest first, as FacePipeline.detectAll returns them.
const POLICY = [416, 512];

function sameFace(a, b) {
  const inside = (p, q) => {
    const cx = p.x + p.width / 2, cy = p.y + p.height / 2;
    return cx >= q.x && cx <= q.x + q.width && cy >= q.y && cy <= q.y + q.height;
  };
  return inside(a, b) || inside(b, a);
}

function addPolicy(out) {
  out.policy = { sizes: POLICY, sameFace: 'the centre of one box inside the other' };
  for (const entry of out.photos) {
    const at = (s) => entry.tiny.find((t) => t.inputSize === s).scaled;
    const boxes = [...at(POLICY[0])];
    for (const b of at(POLICY[1])) {
      if (!boxes.some((a) => sameFace(a, b))) boxes.push({ ...b, fromSecondPass: true });
    }
    boxes.sort((a, b) => b.width * b.height - a.width * a.height);
    entry.policy = { boxes: boxes.map(({ scaledImageBox, ...b }) => b), found: found(boxes, entry.ssd) };
    console.log(`${entry.name}: policy ${boxes.length} boxes, ${entry.policy.found}/${entry.ssd.length} ssd faces`);
  }
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });

module.exports = { areaDownscale, targetSize };
