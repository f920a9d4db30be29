'use strict';
// face-api.js 0.22.2 TinyFaceDetector (cpu backend, weights of @vladmandic/face-api 1.7.15) on committed fixtures,
// written to src/test/resources/engine/reference-detections.json for TinyFaceDetectorReferenceTest.
//
// Every image reaches the net as an int32 [h, w, 3] tensor of RGB bytes that the Java test reads identically:
// the crops are PNGs already; the JPEG photos (faces.jpg and two bbt*.jpg of face-api.js) are decoded here with
// jpeg-js and their pixels written as PNG to engine/detector/, so both sides start from the same bytes and the
// comparison tests the detector, not two JPEG decoders.
const fs = require('fs');
const path = require('path');
const { tf, faceapi, FIXTURES, useCpu, loadNet, decodeJpeg, decodePng, writePng, toTensor } = require('./common');

// 96 too: the size measured best for tight crops (docs/ENGINE.md "Face detector")
const SIZES = [96, 128, 160, 224, 320, 416];
// 0.5 is face-api.js's default; 0.25 lets more (and overlapping) candidates through, so non-max suppression and
// low-scoring boxes are compared too.
const THRESHOLDS = [0.5, 0.25];
const FACEAPI_IMAGES = path.join(FIXTURES, 'faceapi-test', 'images');
const DECODED = path.join(FIXTURES, 'detector');
const CROPS = [
  'sample1-face1.png', 'sample1-face1-wide.png', 'sample1-face2-wide-odd.png', 'sample1-face3-tall-odd.png',
  'sample2-face2.png', 'sample4-face3.png', 'sample6-face4.png',
];
// The raw output grid (before sigmoid/exp decoding) of one image at one size, to localise a mismatch.
const RAW = { image: 'detector/faces.jpg.png', inputSize: 224 };

function images() {
  fs.mkdirSync(DECODED, { recursive: true });
  const list = [];
  for (const name of ['faces.jpg', 'bbt1.jpg', 'bbt2.jpg']) {
    const img = decodeJpeg(path.join(FACEAPI_IMAGES, name));
    writePng(path.join(DECODED, name + '.png'), img);
    list.push({ file: 'detector/' + name + '.png', img });
  }
  list.push({ file: 'faceapi-test/images/white.png', img: decodePng(path.join(FACEAPI_IMAGES, 'white.png')) });
  for (const c of CROPS) {
    list.push({ file: 'crops/' + c, img: decodePng(path.join(FIXTURES, 'crops', c)) });
  }
  return list;
}

async function main() {
  await useCpu();
  loadNet(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  const out = {
    generator: 'tools/reference/make-detections.js',
    faceApi: require('face-api.js/package.json').version,
    tfjsCore: require('@tensorflow/tfjs-core/package.json').version,
    weights: '@vladmandic/face-api@' + require('@vladmandic/face-api/package.json').version,
    backend: tf.getBackend(),
    detections: [],
    raw: null,
  };
  for (const { file, img } of images()) {
    const input = toTensor(img);
    for (const inputSize of SIZES) {
      for (const scoreThreshold of THRESHOLDS) {
        const t0 = Date.now();
        const dets = await faceapi.detectAllFaces(input, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }));
        const boxes = dets.map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height, score: d.score }));
        console.log(`${file} ${img.width}x${img.height} @${inputSize} >${scoreThreshold}: ${boxes.length} boxes, ${Date.now() - t0} ms`);
        out.detections.push({ file, width: img.width, height: img.height, inputSize, scoreThreshold, boxes });
      }
    }
    if (file === RAW.image) {
      const netInput = await faceapi.toNetInput(input);
      const grid = faceapi.nets.tinyFaceDetector.forwardInput(netInput, RAW.inputSize);
      out.raw = { file, inputSize: RAW.inputSize, shape: grid.shape, values: Array.from(grid.dataSync()) };
      grid.dispose();
    }
    input.dispose();
  }
  fs.writeFileSync(path.join(FIXTURES, 'reference-detections.json'), JSON.stringify(out, null, 1) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
