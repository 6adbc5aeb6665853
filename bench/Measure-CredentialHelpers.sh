#!/usr/bin/env bash
# Warm `get` of docker-credential-codespaces against docker-credential-ecr-login (amazon-ecr-credential-helper) for
# one ECR server, both answering from their token caches, which this script seeds in a temp HOME. Neither helper may
# contact anything: each is run once under strace first, and the script stops if either connects or sends.
#
#   bench/Measure-CredentialHelpers.sh [docker-credential-codespaces ...]
#
# Default helper: out/CodespaceRegistry/docker-credential-codespaces (stage it with `dotnet pwsh ./build.ps1`). Give
# more than one to compare builds (say, before and after a change). Prints a markdown table; RUNS=200 by default.
# Needs hyperfine, strace, docker-credential-ecr-login (Debian: amazon-ecr-credential-helper), coreutils.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
helpers=("$@")
[ ${#helpers[@]} -gt 0 ] || helpers=("$root/out/CodespaceRegistry/docker-credential-codespaces")
runs=${RUNS:-200}
ecr_login=$(command -v docker-credential-ecr-login || true)
for tool in hyperfine strace; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"

# A made-up registry, key and token: nothing here is ever sent anywhere.
account=123456789012
region=eu-west-1
server=$account.dkr.ecr.$region.amazonaws.com
key_id=AKIAIOSFODNN7EXAMPLE
secret_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
password="bench-token-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
authorization=$(printf 'AWS:%s' "$password" | base64 -w0)
now=$(date -u +%s)
expires=$((now + 12 * 3600))
printf '%s\n' "$server" > "$work/server.txt"

# docker-credential-codespaces: $XDG_CACHE_HOME/codespace-registry/ecr/<sha256 of "key\nregion\nregistry">.json
# (src/CodespaceRegistry.Core/Ecr/EcrTokenCache.cs), fresh until half its life.
ours_cache=$work/home/.cache/codespace-registry/ecr
mkdir -p "$ours_cache"
name=$(printf '%s\n%s\n%s' "$key_id" "$region" "$server" | sha256sum | cut -d' ' -f1)
printf '{"registry":"%s","authorizationToken":"%s","requestedAt":%s,"expiresAt":%s}' \
  "$server" "$authorization" "$now" "$expires" > "$ours_cache/$name.json"
chmod 700 "$ours_cache" && chmod 600 "$ours_cache/$name.json"

# docker-credential-ecr-login 0.6.0: $AWS_ECR_CACHE_DIR/cache.json (default ~/.ecr), {"Registries": {key: AuthEntry},
# "Version": "1.0"}, key "<region>-<checksum>-<registry id>" (ecr-login/cache/build.go, file.go). Its checksum is
# base64(access key id + md5 of nothing): it calls md5.New().Sum(keyId), which appends the empty digest to the key id.
# The entry is fresh until half its life (RequestedAt..ExpiresAt); the key comes from the environment, so no call.
ecr_cache=$work/home/.ecr
mkdir -p "$ecr_cache"
checksum=$( { printf '%s' "$key_id"; printf '\xd4\x1d\x8c\xd9\x8f\x00\xb2\x04\xe9\x80\x09\x98\xec\xf8\x42\x7e'; } | base64 -w0)
cat > "$ecr_cache/cache.json" <<EOF
{"Registries": {"$region-$checksum-$account": {"AuthorizationToken": "$authorization",
  "RequestedAt": "$(date -u -d "@$now" +%Y-%m-%dT%H:%M:%SZ)", "ExpiresAt": "$(date -u -d "@$expires" +%Y-%m-%dT%H:%M:%SZ)",
  "ProxyEndpoint": "https://$server", "Service": "ecr"}}, "Version": "1.0"}
EOF

# The environments: a clean one per helper (env -i), endpoints pointed at a closed loopback port so that a cache
# miss would fail here instead of calling AWS.
base_env=(HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 AWS_EC2_METADATA_DISABLED=true
          AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_ECR=http://127.0.0.1:9 AWS_ENDPOINT_URL_STS=http://127.0.0.1:9)
ecr_env=("${base_env[@]}" AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$secret_key" AWS_ECR_CACHE_DIR="$ecr_cache")
ours_env=("${base_env[@]}" XDG_CACHE_HOME="$work/home/.cache" ECR_CONTAINER_REGISTRY_SERVER="$server"
          ECR_CONTAINER_REGISTRY_USER="$key_id" ECR_CONTAINER_REGISTRY_PASSWORD="$secret_key")
# 100 other sets, as an organization with many registries would have: they name other servers.
extra_env=()
for i in $(seq -w 0 99); do
  extra_env+=("REG${i}_CONTAINER_REGISTRY_SERVER=registry$i.example.com" "REG${i}_CONTAINER_REGISTRY_USER=user$i"
              "REG${i}_CONTAINER_REGISTRY_PASSWORD=not-a-real-password-$i")
done

# Each helper must answer the seeded token, and contact nothing while doing so.
check() { # label, env..., -- command...
  local label=$1; shift
  local envs=(); while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  local out trace=$work/strace.txt
  out=$(env -i "${envs[@]}" strace -f -qq -e trace=connect,sendto,sendmmsg -o "$trace" "$@" < "$work/server.txt") ||
    { echo "$label: get failed: $out" >&2; exit 1; }
  case $out in *"\"Secret\":\"$password\""*) ;; *) echo "$label: get did not answer the cached token" >&2; exit 1 ;; esac
  if grep -E 'connect\(|sendto\(|sendmmsg\(' "$trace" >&2; then echo "$label: contacted the network (above)" >&2; exit 1; fi
}

rows=()
measure() { # label, env..., -- command
  local label=$1; shift
  local envs=(); while [ "$1" != -- ]; do envs+=("$1"); shift; done; shift
  env -i "${envs[@]}" hyperfine -N --warmup 10 --runs "$runs" --style none --export-json "$work/run.json" \
    "sh -c 'exec $1 get < $work/server.txt'" > /dev/null 2>&1
  rows+=("$(printf '| %s | %s |' "$label" "$(stats "$work/run.json")")")
}
stats() { # mean ± sd, min, max in ms from hyperfine's JSON, without jq
  tr -d ' \n' < "$1" | grep -oE '"(mean|stddev|min|max)":[0-9.e-]+' | head -4 |
    awk -F: '{ v[$1] = $2 * 1000 } END { printf "%.1f ± %.1f | %.1f | %.1f", v["\"mean\""], v["\"stddev\""], v["\"min\""], v["\"max\""] }'
}

for helper in "${helpers[@]}"; do
  [ -x "$helper" ] || { echo "$helper is not an executable; stage the module with 'dotnet pwsh ./build.ps1'" >&2; exit 1; }
  check "$helper" "${ours_env[@]}" -- "$helper" get
  check "$helper (100 other sets)" "${ours_env[@]}" "${extra_env[@]}" -- "$helper" get
  measure "\`$(basename "$helper")\` ($helper)" "${ours_env[@]}" -- "$helper"
  measure "same, with 100 other secret sets in the environment" "${ours_env[@]}" "${extra_env[@]}" -- "$helper"
done
if [ -n "$ecr_login" ]; then
  check docker-credential-ecr-login "${ecr_env[@]}" -- "$ecr_login" get
  measure "\`docker-credential-ecr-login\` $(dpkg-query -W -f '${Version}' amazon-ecr-credential-helper 2>/dev/null || true)" "${ecr_env[@]}" -- "$ecr_login"
else
  echo "docker-credential-ecr-login is not installed: its row is left out" >&2
fi
measure "\`sh -c 'exec true'\`: the shell and exec alone" "${base_env[@]}" -- /bin/true

echo "Warm \`get\` for $server, both helpers answering from their token cache ($runs runs, $(nproc) cores):"
echo
echo "| helper | mean ± σ (ms) | min (ms) | max (ms) |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
