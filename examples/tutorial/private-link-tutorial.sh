#!/usr/bin/env bash
# The Fivetran "Set up a connection with Private Links" tutorial, with curl and jq:
#   1. create a private link;
#   2. poll it every few seconds until its state is OK (stop on FAIL);
#   3. create a paused connection that uses it;
#   4. run the connection's setup tests, approving the certificate (and SSH fingerprint)
#      they report, until they pass: a failing "Validate Certificate" test lists the
#      presented chain in an ARRAY `details`; a failing "SSH Tunnel Connection" test has an
#      OBJECT `details` (the Fivetran support article "Certificate Management");
#   5. unpause the connection.
#
# Works against the real API or the local simulator (`fivetran-sim` prints these values):
#   FIVETRAN_API_URL     base URL including /v1 (default https://api.fivetran.com/v1)
#   FIVETRAN_APIKEY      API key (required)
#   FIVETRAN_APISECRET   API secret (required)
#   FIVETRAN_GROUP_ID    group (destination) for the connection (default: the first group)
# Optional: LINK_NAME (pl-source-aws-prod, the tutorial's), LINK_SERVICE_NAME (the AWS endpoint service),
#   SOURCE_HOST (db-7.example.com), POLL_INTERVAL seconds (5), TIMEOUT seconds (1800),
#   CLEANUP=1 to delete the connection and the link at the end.
set -euo pipefail

API_URL="${FIVETRAN_API_URL:-https://api.fivetran.com/v1}"
: "${FIVETRAN_APIKEY:?set FIVETRAN_APIKEY}"
: "${FIVETRAN_APISECRET:?set FIVETRAN_APISECRET}"
LINK_NAME="${LINK_NAME:-pl-source-aws-prod}"
LINK_SERVICE_NAME="${LINK_SERVICE_NAME:-com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0}"
SOURCE_HOST="${SOURCE_HOST:-db-7.example.com}"
POLL_INTERVAL="${POLL_INTERVAL:-5}"
TIMEOUT="${TIMEOUT:-1800}"

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; exit 2; }
done

# api METHOD PATH [JSON]: sets RESPONSE and STATUS; fails on anything but 2xx.
api() {
  local method="$1" path="$2" data="${3:-}" out
  local args=(-sS -X "$method" -u "$FIVETRAN_APIKEY:$FIVETRAN_APISECRET"
    -H 'Accept: application/json' -w '\n%{http_code}')
  if [[ -n "$data" ]]; then
    args+=(-H 'Content-Type: application/json' --data "$data")
  fi
  out="$(curl "${args[@]}" "$API_URL$path")"
  STATUS="${out##*$'\n'}"
  RESPONSE="${out%$'\n'*}"
  if [[ "$STATUS" != 2* ]]; then
    echo "error: $method $path answered $STATUS: $RESPONSE" >&2
    exit 1
  fi
}

log() { printf '==> %s\n' "$*"; }

if [[ -z "${FIVETRAN_GROUP_ID:-}" ]]; then
  api GET "/groups?limit=1"
  FIVETRAN_GROUP_ID="$(jq -r '.data.items[0].id // empty' <<<"$RESPONSE")"
  [[ -n "$FIVETRAN_GROUP_ID" ]] || { echo "error: no group found" >&2; exit 1; }
fi

log "1. Creating private link '$LINK_NAME'"
api POST /private-links "$(jq -n --arg name "$LINK_NAME" --arg svc "$LINK_SERVICE_NAME" \
  '{name: $name, region: "AWS_US_EAST_1", service: "SOURCE_AWS", config: {connection_service_name: $svc}}')"
LINK_ID="$(jq -r '.data.id' <<<"$RESPONSE")"
log "   private link $LINK_ID is $(jq -r '.data.state' <<<"$RESPONSE")"

log "2. Waiting for the private link to be OK (polling every ${POLL_INTERVAL}s)"
deadline=$((SECONDS + TIMEOUT))
while :; do
  api GET "/private-links/$LINK_ID"
  state="$(jq -r '.data.state' <<<"$RESPONSE")"
  case "$state" in
    OK) log "   state OK"; break ;;
    FAIL) echo "error: private link failed: $(jq -r '.data.state_summary' <<<"$RESPONSE")" >&2; exit 1 ;;
    *) log "   state $state" ;;
  esac
  (( SECONDS < deadline )) || { echo "error: private link not OK after ${TIMEOUT}s" >&2; exit 1; }
  sleep "$POLL_INTERVAL"
done

log "3. Creating a paused connection through the private link"
api POST /connections "$(jq -n --arg group "$FIVETRAN_GROUP_ID" --arg link "$LINK_ID" --arg host "$SOURCE_HOST" \
  '{group_id: $group, service: "postgres_rds", paused: true, run_setup_tests: false,
    networking_method: "PrivateLink", private_link_id: $link,
    config: {schema_prefix: "tutorial_pg", host: $host, port: "5432", database: "app",
             user: "fivetran", password: "change-me"}}')"
# The API may answer networking_method UnmanagedPrivateLink (official provider issue #408)
# and stores port as a number although the tutorial sends it as text.
CONNECTION_ID="$(jq -r '.data.id' <<<"$RESPONSE")"
log "   connection $CONNECTION_ID (schema $(jq -r '.data.schema' <<<"$RESPONSE"), paused $(jq -r '.data.paused' <<<"$RESPONSE"), networking $(jq -r '.data.networking_method' <<<"$RESPONSE"))"

log "4. Running the setup tests"
for round in 1 2 3 4; do
  api POST "/connections/$CONNECTION_ID/test" '{}'
  jq -r '.data.setup_tests[] | "   \(.status)\t\(.title)"' <<<"$RESPONSE"
  failed="$(jq -c '[.data.setup_tests[] | select(.status == "FAILED")]' <<<"$RESPONSE")"
  if [[ "$failed" == "[]" ]]; then
    log "   setup state $(jq -r '.data.status.setup_state' <<<"$RESPONSE")"
    break
  fi
  (( round < 4 )) || { echo "error: setup tests still failing: $failed" >&2; exit 1; }
  # Certificate details: an array, one entry per certificate of the presented chain.
  certs="$(jq -c 'map(select(.title == "Validate Certificate"))[0].details // empty' <<<"$failed")"
  fingerprint="$(jq -c 'map(select(.title == "SSH Tunnel Connection"))[0].details // empty' <<<"$failed")"
  if [[ -n "$certs" ]]; then
    while read -r cert; do
      log "   approving certificate $(jq -r '.name' <<<"$cert") (sha256 $(jq -r '.sha256' <<<"$cert"))"
      api POST "/connections/$CONNECTION_ID/certificates" "$(jq -c '{hash, encoded_cert}' <<<"$cert")"
      # Hashes are base64 and may hold '/' and '+': an approval is addressed by its `id`
      # (Base64URL of the hash) from the approve answer, never by the raw hash.
      approval_id="$(jq -r '.data.id' <<<"$RESPONSE")"
      api GET "/connections/$CONNECTION_ID/certificates/$approval_id"
      log "   approved by $(jq -r '.data.validated_by' <<<"$RESPONSE")"
    done < <(jq -c '.[]' <<<"$certs")
  elif [[ -n "$fingerprint" ]]; then
    log "   approving SSH fingerprint $(jq -r '.hash' <<<"$fingerprint")"
    api POST "/connections/$CONNECTION_ID/fingerprints" "$(jq -c '{hash, public_key}' <<<"$fingerprint")"
  else
    echo "error: setup tests failed: $failed" >&2
    exit 1
  fi
done

log "5. Unpausing the connection"
api PATCH "/connections/$CONNECTION_ID" '{"paused": false}'
log "   paused $(jq -r '.data.paused' <<<"$RESPONSE"), setup state $(jq -r '.data.status.setup_state' <<<"$RESPONSE")"
[[ "$(jq -r '.data.paused' <<<"$RESPONSE")" == "false" ]] || { echo "error: still paused" >&2; exit 1; }

if [[ "${CLEANUP:-0}" == 1 ]]; then
  log "Cleaning up"
  api DELETE "/connections/$CONNECTION_ID"
  api DELETE "/private-links/$LINK_ID"
fi
echo "done: private link $LINK_ID, connection $CONNECTION_ID"
