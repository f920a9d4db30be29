'use strict';
// The embedded engine's FAST pipeline (io.cropsearch.engine.face.FacePipeline) step by step with face-api.js 0.22.2's
// own functions (cpu backend, weights of @vladmandic/face-api 1.7.15), on the real-photo evaluation crops and the
// fixture crops. Written to src/test/resources/engine/reference-pipeline.json for FacePipelineReferenceTest.
//
// Steps, as FacePipeline does them:
//  1. detect: the image on a black border of 25% of its longer side, TinyFaceDetector inputSize 160, scoreThreshold
//     0.5; then 50% when that finds nothing, then the image as it is at inputSize 416; the largest box, mapped back
//     to the image and clipped to it;
//  2. landmarks: FaceLandmark68TinyNet on that box (extractFaceTensors: clipped, floored), shifted by the box corner;
//  3. align: FaceLandmarks.align(null, { useDlibAlignment: true }), the cut face-api.js's withFaceDescriptor() uses;
//  4. describe: FaceRecognitionNet.computeFaceDescriptor on the extracted aligned box.
// (Since whole photos, FacePipeline keeps a 160 result only when its largest face is at least half the image's shorter
// side, and the 416 step is its photo pass; on every crop here that is the same detection as below, which
// FacePipelineReferenceTest confirms. Photos: make-photo-detection.js.)
// Each step's output is recorded so that a mismatch can be localised. Images are int32 tensors of the PNG's RGB bytes.
const fs = require('fs');
const path = require('path');
const { tf, faceapi, FIXTURES, useCpu, loadNet, decodePng, toTensor } = require('./common');

const MIN_SCORE = 0.5;
// FacePipeline.ATTEMPTS: input size and black border (fraction of the longer side), tried in order
const ATTEMPTS = [[160, 0.25], [160, 0.5], [416, 0]];

function border(img, margin) {
  const w = img.width + 2 * margin;
  const h = img.height + 2 * margin;
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < img.height; y++) {
    rgb.set(img.rgb.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((y + margin) * w + margin) * 3);
  }
  return { width: w, height: h, rgb };
}

async function detect(detector, img) {
  for (const [inputSize, fraction] of ATTEMPTS) {
    const margin = Math.round(Math.max(img.width, img.height) * fraction);
    const framed = toTensor(border(img, margin));
    const found = await detector.locateFaces(framed, new faceapi.TinyFaceDetectorOptions({
      inputSize, scoreThreshold: MIN_SCORE }));
    framed.dispose();
    let best = null;
    for (const d of found) {
      // mapped back to the image and clipped to it (Math.fround: the Java side holds boxes as float32)
      const b = d.box;
      const x0 = Math.fround(Math.max(0, Math.fround(b.x - margin)));
      const y0 = Math.fround(Math.max(0, Math.fround(b.y - margin)));
      const x1 = Math.fround(Math.min(img.width, Math.fround(Math.fround(b.x + b.width) - margin)));
      const y1 = Math.fround(Math.min(img.height, Math.fround(Math.fround(b.y + b.height) - margin)));
      const box = { x: x0, y: y0, width: Math.fround(x1 - x0), height: Math.fround(y1 - y0), score: d.score };
      if (box.width >= 1 && box.height >= 1 && (best === null || box.width * box.height > best.width * best.height)) {
        best = box;
      }
    }
    if (best) return best;
  }
  return null;
}

async function main() {
  await useCpu();
  const detector = loadNet(new faceapi.TinyFaceDetector(), 'tiny_face_detector_model');
  const landmarkNet = loadNet(new faceapi.FaceLandmark68TinyNet(), 'face_landmark_68_tiny_model');
  const recognition = loadNet(new faceapi.FaceRecognitionNet(), 'face_recognition_model');
  const files = [];
  for (const dir of ['eval/crops', 'crops']) {
    const full = path.join(FIXTURES, dir);
    if (!fs.existsSync(full)) continue;
    for (const f of fs.readdirSync(full).filter((n) => n.endsWith('.png')).sort()) files.push(dir + '/' + f);
  }
  const out = {
    generator: 'tools/reference/make-pipeline-reference.js',
    faceApi: require('face-api.js/package.json').version,
    weights: '@vladmandic/face-api@' + require('@vladmandic/face-api/package.json').version,
    minScore: MIN_SCORE, attempts: ATTEMPTS,
    images: [],
  };
  for (const file of files) {
    const img = decodePng(path.join(FIXTURES, file));
    const entry = { file, width: img.width, height: img.height };
    const box = await detect(detector, img);
    if (!box) {
      entry.face = null;
      out.images.push(entry);
      console.log(`${file}: no face`);
      continue;
    }
    const input = toTensor(img);
    const detBox = new faceapi.Box({ x: box.x, y: box.y, width: box.width, height: box.height });
    const [faceTensor] = await faceapi.extractFaceTensors(input, [detBox]);
    const unshifted = await landmarkNet.detectLandmarks(faceTensor);
    faceTensor.dispose();
    const landmarks = unshifted.shiftBy(box.x, box.y);
    const aligned = landmarks.align(null, { useDlibAlignment: true });
    const [alignedTensor] = await faceapi.extractFaceTensors(input, [aligned]);
    const descriptor = await recognition.computeFaceDescriptor(alignedTensor);
    alignedTensor.dispose();
    input.dispose();
    const positions = [];
    for (const p of landmarks.positions) positions.push(p.x, p.y);
    const clipped = aligned.clipAtImageBorders(img.width, img.height);
    entry.face = {
      box, landmarks: positions,
      alignedBox: { x: clipped.x, y: clipped.y, width: clipped.width, height: clipped.height },
      descriptor: Array.from(descriptor),
    };
    out.images.push(entry);
    console.log(`${file}: score ${box.score.toFixed(3)} aligned ${clipped.x},${clipped.y} ${clipped.width}x${clipped.height}`);
  }
  fs.writeFileSync(path.join(FIXTURES, 'reference-pipeline.json'), JSON.stringify(out) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
