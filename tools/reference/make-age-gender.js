'use strict';
// face-api.js 0.22.2's AgeGenderNet (TinyXception backbone with 2 main blocks, age regression, gender softmax; cpu
// backend, weights age_gender_model of @vladmandic/face-api 1.7.15) on the faces FacePipeline detects, written to
// src/test/resources/engine/reference-age-gender.json for AgeGenderNetReferenceTest.
//
//   node make-age-gender.js        # after make-pipeline-reference.js (it reads the detected boxes from there)
//
// Per image of reference-pipeline.json with a face (the 36 evaluation crops and the 25 fixture crops): the detected
// box, cut as face-api.js's extractFaceTensors cuts it (clipped, floored), then ageGenderNet.predictAgeAndGender on
// that cut, which is what faceapi.detectSingleFace(img, tinyOptions).withAgeAndGender() computes for that detection.
// Also recorded: the raw network outputs (age, the two gender logits) and the 512 pooled bottleneck features of the
// first few images, to localise a mismatch. At the end a summary per person of the evaluation crops is printed.
const fs = require('fs');
const path = require('path');
const { tf, faceapi, FIXTURES, useCpu, loadNet, decodePng, toTensor } = require('./common');

const FEATURES_FOR = 3; // images whose pooled features are written too

async function main() {
  await useCpu();
  const net = loadNet(new faceapi.AgeGenderNet(), 'age_gender_model');
  const pipeline = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reference-pipeline.json'), 'utf8'));
  const out = {
    generator: 'tools/reference/make-age-gender.js',
    faceApi: require('face-api.js/package.json').version,
    weights: '@vladmandic/face-api@' + require('@vladmandic/face-api/package.json').version,
    boxesFrom: 'reference-pipeline.json (FacePipeline FAST detection)',
    images: [],
  };
  for (const entry of pipeline.images) {
    if (!entry.face) continue;
    const img = decodePng(path.join(FIXTURES, entry.file));
    const input = toTensor(img);
    const b = entry.face.box;
    const [face] = await faceapi.extractFaceTensors(input, [new faceapi.Rect(b.x, b.y, b.width, b.height)]);
    const prediction = await net.predictAgeAndGender(face);
    const netInput = await faceapi.toNetInput(face);
    const raw = tf.tidy(() => {
      const features = net.faceFeatureExtractor.forwardInput(netInput);
      const pooled = tf.avgPool(features, [7, 7], [2, 2], 'valid').as2D(1, -1);
      const r = net.runNet(features);
      return { pooled: Array.from(pooled.dataSync()), age: r.age.dataSync()[0], gender: Array.from(r.gender.dataSync()) };
    });
    face.dispose();
    input.dispose();
    const row = {
      file: entry.file, box: b,
      age: prediction.age, gender: prediction.gender, genderProbability: prediction.genderProbability,
      rawAge: raw.age, genderLogits: raw.gender,
    };
    if (out.images.length < FEATURES_FOR) row.pooled = raw.pooled;
    out.images.push(row);
    console.log(`${entry.file}: age ${prediction.age.toFixed(1)} ${prediction.gender} ${prediction.genderProbability.toFixed(3)}`);
  }
  fs.writeFileSync(path.join(FIXTURES, 'reference-age-gender.json'), JSON.stringify(out, null, 1) + '\n');
  // the evaluation crops: eval/crops/<person><shot>.png
  const people = {};
  for (const r of out.images) {
    const m = /^eval\/crops\/([a-z]+)\d+\.png$/.exec(r.file);
    if (!m) continue;
    (people[m[1]] = people[m[1]] || []).push(r);
  }
  for (const [person, rows] of Object.entries(people)) {
    const ages = rows.map((r) => r.age);
    console.log(`${person}: ${rows.map((r) => r.gender).join('')} ages ${Math.min(...ages).toFixed(1)}-${Math.max(...ages).toFixed(1)}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
