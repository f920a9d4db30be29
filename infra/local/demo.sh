#!/usr/bin/env bash
# The main job end to end on the embedded engine: enrol eight people from one photo each through the persons API,
# then search *other* photos of them, and one image without a face. Start the function first (README:
# ./mvnw quarkus:dev ...); no AWS account, no Verifik token.
#
#   infra/local/demo.sh [base-url]        default base url: http://localhost:8080
#
# Photos: src/test/resources/engine/eval/crops (five photos each of eight people from face-api.js's examples, MIT,
# cut as face crops by tools/reference/make-eval.js); the no-face image is face-api.js's test/images/white.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${1:-http://localhost:8080}
PHOTOS=src/test/resources/engine/eval/crops
# The embedded backend only checks that a bearer token is present; it holds no secret.
AUTH="Authorization: Bearer local-demo"

post() { curl -sS -X POST "$BASE$1" -H 'Content-Type: application/json' -H "$AUTH" --data-binary @"$2"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
body=$(mktemp); trap 'rm -f "$body"' EXIT

echo "== collection"
echo '{"name":"demo","description":"eight people, one photo each"}' > "$body"
collection=$(post /v2/face-recognition/collections "$body" | field "d['data']['_id']")
echo "created $collection"

echo "== enrol photo 1 of each person"
for person in amy bernadette howard leonard penny raj sheldon stuart; do
  printf '{"name":"%s","images":["%s"],"collections":["%s"]}' "$person" "$(base64 -w0 "$PHOTOS/${person}1.png")" \
    "$collection" > "$body"
  post /v2/face-recognition/persons "$body" \
    | field "d.get('data',{}).get('_id','') + '  ' + d.get('data',{}).get('name', d.get('message',''))"
done

for probe in amy3 howard2 penny5 sheldon4; do
  for mode in FAST ACCURATE; do
    echo "== search $probe.png ($mode, min_score 0.7)"
    printf '{"images":["%s"],"collection_id":"%s","min_score":0.7,"search_mode":"%s","max_results":3}' \
      "$(base64 -w0 "$PHOTOS/$probe.png")" "$collection" "$mode" > "$body"
    post /v2/face-recognition/search/crops "$body" \
      | field "'\n'.join('  %.4f  %s' % (m['score'], m['name']) for m in d['data']) or '  (no match)'"
  done
done

echo "== search an image without a face"
printf '{"images":["%s"],"min_score":0.7,"search_mode":"FAST"}' \
  "$(base64 -w0 src/test/resources/engine/faceapi-test/images/white.png)" > "$body"
post /v2/face-recognition/search/crops "$body" | field "'  %s: %s' % (d['code'], d['message'])"
