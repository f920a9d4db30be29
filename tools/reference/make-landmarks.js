'use strict';
// Runs face-api.js 0.22.2 FaceLandmark68Net and FaceLandmark68TinyNet (cpu backend, weights of
// @vladmandic/face-api 1.7.15) on every crop of src/test/resources/engine/crops-manifest.json and on face-api.js's own
// test images (faceapi-test/images), and writes src/test/resources/engine/reference-landmarks.json: per image and net
// the raw fc outputs (136 values, relative to the padded 112x112 input) and the 68 positions of
// net.detectLandmarks(image), in the image's pixels. Images are given as int32 [h, w, 3] tensors of the PNG's RGB
// values, the bytes the Java engine decodes, so the comparison tests the nets and their pre/post-processing only.
const fs = require('fs');
const path = require('path');
const { tf, faceapi, FIXTURES, useCpu, loadNet, decodePng, toTensor } = require('./common');

const NETS = [
  { key: 'full', net: () => new faceapi.FaceLandmark68Net(), model: 'face_landmark_68_model' },
  { key: 'tiny', net: () => new faceapi.FaceLandmark68TinyNet(), model: 'face_landmark_68_tiny_model' },
];

function images() {
  const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crops-manifest.json'), 'utf8'));
  const crops = manifest.crops.map((c) => 'crops/' + c.file);
  const peers = ['face1.png', 'face2.png', 'face_rectangular.png'].map((f) => 'faceapi-test/images/' + f);
  return crops.concat(peers);
}

async function landmarks(net, img) {
  const input = toTensor(img);
  // The raw output of the fc layer, before postProcess undoes the padding.
  const netInput = await faceapi.toNetInput(input);
  const rawTensor = net.runNet(netInput);
  const raw = Array.from(await rawTensor.data());
  rawTensor.dispose();
  const result = await net.detectLandmarks(input);
  input.dispose();
  const positions = [];
  for (const p of result.positions) positions.push(p.x, p.y);
  return { raw, positions };
}

async function main() {
  await useCpu();
  const nets = NETS.map((n) => ({ key: n.key, net: loadNet(n.net(), n.model) }));
  const out = {
    generator: 'tools/reference/make-landmarks.js',
    faceApi: require('face-api.js/package.json').version,
    tfjsCore: require('@tensorflow/tfjs-core/package.json').version,
    weights: '@vladmandic/face-api@' + require('@vladmandic/face-api/package.json').version,
    backend: tf.getBackend(),
    images: [],
  };
  for (const file of images()) {
    const img = decodePng(path.join(FIXTURES, file));
    const entry = { file, width: img.width, height: img.height };
    for (const { key, net } of nets) {
      const t0 = Date.now();
      entry[key] = await landmarks(net, img);
      console.log(`${file} ${img.width}x${img.height} ${key}: ${Date.now() - t0} ms, first point ` +
        `(${entry[key].positions[0].toFixed(2)}, ${entry[key].positions[1].toFixed(2)})`);
    }
    out.images.push(entry);
  }
  fs.writeFileSync(path.join(FIXTURES, 'reference-landmarks.json'), JSON.stringify(out, null, 1) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
