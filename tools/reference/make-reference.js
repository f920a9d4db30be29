'use strict';
// Computes face-api.js 0.22.2 FaceRecognitionNet descriptors (cpu backend, weights of @vladmandic/face-api 1.7.15)
// for every crop listed in src/test/resources/engine/crops-manifest.json and writes reference-descriptors.json.
// The crops are given to the net as int32 [h, w, 3] tensors of the PNG's RGB values, exactly the bytes the Java
// engine decodes, so the comparison tests the network and its preprocessing, not an image decoder.
const fs = require('fs');
const path = require('path');
const { tf, faceapi, FIXTURES, useCpu, loadNet, decodePng, toTensor } = require('./common');

async function main() {
  await useCpu();
  const net = loadNet(new faceapi.FaceRecognitionNet(), 'face_recognition_model');
  const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'crops-manifest.json'), 'utf8'));
  const out = {
    generator: 'tools/reference/make-reference.js',
    faceApi: require('face-api.js/package.json').version,
    tfjsCore: require('@tensorflow/tfjs-core/package.json').version,
    weights: '@vladmandic/face-api@' + require('@vladmandic/face-api/package.json').version,
    backend: tf.getBackend(),
    descriptors: [],
  };
  for (const crop of manifest.crops) {
    const img = decodePng(path.join(FIXTURES, 'crops', crop.file));
    const input = toTensor(img);
    const t0 = Date.now();
    const d = await net.computeFaceDescriptor(input);
    input.dispose();
    console.log(`${crop.file} ${img.width}x${img.height}: ${Date.now() - t0} ms, |d| = ${Math.hypot(...d).toFixed(4)}`);
    out.descriptors.push({ file: crop.file, descriptor: Array.from(d) });
  }
  fs.writeFileSync(path.join(FIXTURES, 'reference-descriptors.json'), JSON.stringify(out, null, 1) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
