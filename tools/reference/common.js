'use strict';
// Shared set-up for the reference scripts: face-api.js 0.22.2 on the pure-JS cpu backend of tfjs-core 1.7.0,
// with the weights shipped by @vladmandic/face-api 1.7.15 (face-api.js 0.22.2 itself ships code only).
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
const faceapi = require('face-api.js');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

const REPO = path.resolve(__dirname, '..', '..');
const VLAD = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
const MODEL_DIR = path.join(VLAD, 'model');
const DEMO_DIR = path.join(VLAD, 'demo');
const FIXTURES = path.join(REPO, 'src', 'test', 'resources', 'engine');

async function useCpu() {
  // The cpu backend is registered by tfjs-core itself; no native or WebGL code is involved.
  await tf.setBackend('cpu');
  await tf.ready();
  if (tf.getBackend() !== 'cpu') throw new Error('expected the cpu backend, got ' + tf.getBackend());
}

function loadNet(net, modelName) {
  const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, modelName + '-weights_manifest.json'), 'utf8'));
  const buffers = manifest[0].paths.map((p) => fs.readFileSync(path.join(MODEL_DIR, p)));
  const all = Buffer.concat(buffers);
  const ab = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const weightMap = tf.io.decodeWeights(ab, manifest[0].weights);
  net.loadFromWeightMap(weightMap);
  return net;
}

/** RGB bytes (no alpha), as the Java engine sees them. */
function decodeJpeg(file) {
  const img = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: false });
  return { width: img.width, height: img.height, rgb: img.data };
}

function decodePng(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const rgb = new Uint8Array(png.width * png.height * 3);
  for (let i = 0, j = 0; i < png.data.length; i += 4) {
    rgb[j++] = png.data[i];
    rgb[j++] = png.data[i + 1];
    rgb[j++] = png.data[i + 2];
  }
  return { width: png.width, height: png.height, rgb };
}

function writePng(file, img) {
  const png = new PNG({ width: img.width, height: img.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(img.rgb.buffer, img.rgb.byteOffset, img.rgb.byteLength);
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

function toTensor(img) {
  return tf.tensor3d(Int32Array.from(img.rgb), [img.height, img.width, 3], 'int32');
}

// The fixture crop convention (make-crops.js, make-eval.js): a detector box -> square of side 1.2 * max(w, h)
// centred on the box -> SIZE x SIZE RGB, each output pixel the mean of SUB x SUB bilinear sub-samples;
// outside the photo counts as black.
const SIZE = 120;
const MARGIN = 0.10;
const SUB = 4;

function sample(img, x, y, c) {
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const fx = x - x0, fy = y - y0;
  const at = (xx, yy) => (xx < 0 || yy < 0 || xx >= img.width || yy >= img.height) ? 0 : img.rgb[(yy * img.width + xx) * 3 + c];
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bot = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bot * fy;
}

function cropSquare(img, left, top, side) {
  const out = new Uint8Array(SIZE * SIZE * 3);
  const step = side / SIZE;
  for (let v = 0; v < SIZE; v++) {
    for (let u = 0; u < SIZE; u++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let sy = 0; sy < SUB; sy++) {
          for (let sx = 0; sx < SUB; sx++) {
            // pixel centres at integer coordinates
            const x = left + (u + (sx + 0.5) / SUB) * step - 0.5;
            const y = top + (v + (sy + 0.5) / SUB) * step - 0.5;
            acc += sample(img, x, y, c);
          }
        }
        out[(v * SIZE + u) * 3 + c] = Math.max(0, Math.min(255, Math.round(acc / (SUB * SUB))));
      }
    }
  }
  return { width: SIZE, height: SIZE, rgb: out };
}

/** The convention's crop of one detector box ({x, y, width, height} in photo pixels). */
function faceCrop(img, b) {
  const side = Math.max(b.width, b.height) * (1 + 2 * MARGIN);
  const left = b.x + b.width / 2 - side / 2;
  const top = b.y + b.height / 2 - side / 2;
  return cropSquare(img, left, top, side);
}

module.exports = { tf, faceapi, REPO, MODEL_DIR, DEMO_DIR, FIXTURES, useCpu, loadNet, decodeJpeg, decodePng, writePng, toTensor,
  SIZE, MARGIN, SUB, sample, cropSquare, faceCrop };
