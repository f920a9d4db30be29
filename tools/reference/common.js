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

module.exports = { tf, faceapi, REPO, MODEL_DIR, DEMO_DIR, FIXTURES, useCpu, loadNet, decodeJpeg, decodePng, writePng, toTensor };
