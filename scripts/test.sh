#!/usr/bin/env bash
# Runs every check of lbcloud, as CI does: formatting, clippy, all tests
# (unit, conformance, doc tests and peer-backed tests against a local moto
# server), and every example against the mock driver.
#
# The moto peer is installed into a project-local virtualenv (.venv-moto,
# reused while its pinned version matches) and started on a free loopback
# port for the test run; tests reach it through LBCLOUD_MOTO_ENDPOINT.
# If the peer cannot be installed or started, this script fails: CI never
# skips peer-backed tests silently.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Pinned peer versions (check with `pip index versions moto` before bumping).
MOTO_VERSION="5.2.5"
FLASK_VERSION="3.1.3"
FLASK_CORS_VERSION="6.0.5"
VENV=".venv-moto"
MOTO_START_TIMEOUT_SECS=60

SUMMARY=()
SCRIPT_START=$SECONDS
MOTO_PID=""
MOTO_LOG=""

die() {
    echo "test.sh: ERROR: $*" >&2
    exit 1
}

# Runs one stage and records how long it took.
stage() {
    local name=$1
    shift
    local start=$SECONDS
    echo
    echo "==> ${name}"
    "$@"
    SUMMARY+=("${name} $((SECONDS - start))s")
}

fmt_check() {
    cargo fmt --all -- --check
}

clippy_check() {
    cargo clippy --workspace --all-targets --all-features -- -D warnings
}

# Debian packages the build and the peers need: pkg-config and the OpenSSL
# headers (the `native-tls` feature, compiled by --all-features), the
# openssl program (the HAProxy TLS test makes certificates with it) and
# util-linux (flock). HAProxy itself comes from scripts/install-haproxy.sh.
install_system_packages() {
    local missing=()
    command -v pkg-config >/dev/null || missing+=(pkg-config)
    { command -v pkg-config >/dev/null && pkg-config --exists openssl; } || missing+=(libssl-dev)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v flock >/dev/null || missing+=(util-linux)
    if ((${#missing[@]} > 0)); then
        command -v apt-get >/dev/null || die "missing ${missing[*]} and apt-get is not available"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q || die "apt-get update failed"
        apt-get install -y -q "${missing[@]}" || die "cannot install ${missing[*]}"
    fi
    echo "system packages present: pkg-config, libssl-dev, openssl, flock"
    ./scripts/install-haproxy.sh || die "HAProxy is required for the HAProxy driver's tests"
}

# The moto version installed in the virtualenv, or nothing.
installed_moto_version() {
    "${VENV}/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true
}

install_moto() {
    if [[ -x "${VENV}/bin/moto_server" && "$(installed_moto_version)" == "${MOTO_VERSION}" ]]; then
        echo "reusing ${VENV} (moto ${MOTO_VERSION})"
        return
    fi
    command -v python3 >/dev/null || die "python3 is required to run the moto test peer"
    rm -rf "${VENV}"
    python3 -m venv "${VENV}" || die "cannot create the virtualenv ${VENV} (is the python3 venv module installed?)"
    "${VENV}/bin/python" -m pip install --quiet --disable-pip-version-check \
        "moto[server]==${MOTO_VERSION}" "flask==${FLASK_VERSION}" "flask-cors==${FLASK_CORS_VERSION}" \
        || die "cannot install moto[server]==${MOTO_VERSION} into ${VENV}"
    [[ "$(installed_moto_version)" == "${MOTO_VERSION}" ]] || die "moto ${MOTO_VERSION} is not importable from ${VENV}"
}

stop_moto() {
    if [[ -n "${MOTO_PID}" ]]; then
        kill "${MOTO_PID}" 2>/dev/null || true
        wait "${MOTO_PID}" 2>/dev/null || true
        MOTO_PID=""
    fi
    if [[ -n "${MOTO_LOG}" ]]; then
        rm -f "${MOTO_LOG}"
    fi
}

start_moto() {
    local port
    port=$("${VENV}/bin/python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()') || die "cannot pick a free port"
    MOTO_LOG=$(mktemp -t lbcloud-moto.XXXXXX)
    trap 'stop_moto; stop_haproxy_demo' EXIT
    "${VENV}/bin/moto_server" -H 127.0.0.1 -p "${port}" >"${MOTO_LOG}" 2>&1 &
    MOTO_PID=$!
    local endpoint="http://127.0.0.1:${port}"
    local deadline=$((SECONDS + MOTO_START_TIMEOUT_SECS))
    until "${VENV}/bin/python" -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=2)' "${endpoint}" 2>/dev/null; do
        if ! kill -0 "${MOTO_PID}" 2>/dev/null; then
            cat "${MOTO_LOG}" >&2
            die "moto_server exited before it answered on ${endpoint}"
        fi
        if ((SECONDS >= deadline)); then
            cat "${MOTO_LOG}" >&2
            die "moto_server did not answer on ${endpoint} within ${MOTO_START_TIMEOUT_SECS}s"
        fi
        sleep 0.5
    done
    export LBCLOUD_MOTO_ENDPOINT="${endpoint}"
    echo "moto ${MOTO_VERSION} is up at ${LBCLOUD_MOTO_ENDPOINT} (pid ${MOTO_PID})"
}

run_tests() {
    # Unit, conformance, peer-backed and doc tests.
    cargo test --workspace --all-features
}

# The root crate with no driver at all: the registry's feature-off paths.
# Library and test targets only: the doc examples are written for the
# default features (the mock), as users read them.
no_default_features() {
    cargo test --no-default-features --lib --tests
}

# The driver features of the root crate (those that turn on an lbcloud-*
# crate), read from its manifest so a new driver needs no change here.
driver_features() {
    cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
meta = json.load(sys.stdin)
root = next(p for p in meta["packages"] if p["name"] == "lbcloud")
for name, needs in sorted(root["features"].items()):
    if any(n.startswith("dep:lbcloud-") for n in needs):
        print(name)
'
}

# Each driver alone compiles (library, tests and examples that apply).
single_features() {
    local features feature
    features=$(driver_features) || die "cannot read the driver features from Cargo.toml"
    [[ -n "${features}" ]] || die "no driver features found in Cargo.toml"
    for feature in ${features}; do
        echo "--- only feature ${feature}"
        cargo check --quiet --no-default-features --features "${feature}" --all-targets
    done
}

# Every publishable crate packages (manifest, version requirements, files);
# --no-verify skips rebuilding each package from its tarball, which the
# test stage has already compiled from the same sources.
package() {
    local excludes
    # `cargo package --workspace` also packs members marked `publish = false`
    # (the test server, the peer tests); leave those out, read from the
    # manifests so a new unpublished crate needs no change here.
    excludes=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["publish"] == []:
        print("--exclude", p["name"])
') || die "cannot read the unpublished crates from Cargo.toml"
    # shellcheck disable=SC2086 # one word per flag and name
    cargo package --quiet --workspace --no-verify ${excludes}
}

# API docs build with no warnings (broken links, missing docs), with every feature (what docs.rs builds) and with the defaults (what a
# user's `cargo doc` builds): a link to a feature-gated item breaks only one.
docs() {
    RUSTDOCFLAGS="-D warnings" cargo doc --quiet --workspace --all-features --no-deps
    RUSTDOCFLAGS="-D warnings" cargo doc --quiet --workspace --no-deps
}

# Every example under examples/ (single files and examples/<name>/main.rs),
# against the mock driver and with no endpoint override; the ELB-only
# examples (named elb_*) against ELB on the moto server instead.
run_examples() {
    local path name found=0
    shopt -s nullglob
    for path in examples/*.rs examples/*/main.rs; do
        if [[ "${path}" == */main.rs ]]; then
            name=$(basename "$(dirname "${path}")")
        else
            name=$(basename "${path}" .rs)
        fi
        found=$((found + 1))
        echo "--- example ${name}"
        if [[ "${name}" == elb_* ]]; then
            run_example_on_moto "${name}"
            continue
        fi
        if [[ "${name}" == elbv2_* ]]; then
            run_elbv2_example_on_moto "${name}"
            continue
        fi
        env -u AWS_ENDPOINT_URL -u LBCLOUD_ENDPOINT LBCLOUD_PROVIDER=mock \
            cargo run --quiet --all-features --example "${name}"
    done
    shopt -u nullglob
    ((found > 0)) || die "no examples found under examples/"
}

# Starts three EC2 instances on the moto server with boto3 (installed with
# moto in the virtualenv) and prints their ids, comma-separated.
moto_instance_ids() {
    "${VENV}/bin/python" - "${LBCLOUD_MOTO_ENDPOINT}" <<'PY'
import sys
import boto3

ec2 = boto3.client(
    "ec2",
    endpoint_url=sys.argv[1],
    region_name="us-east-1",
    aws_access_key_id="AKIDTUTORIAL",
    aws_secret_access_key="tutorial-secret",
)
answer = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t2.micro", MinCount=3, MaxCount=3)
print(",".join(i["InstanceId"] for i in answer["Instances"]))
PY
}

# One example against ELB on the moto server, configured through the
# standard AWS_* variables exactly as a user points it at AWS (endpoint via
# AWS_ENDPOINT_URL), with members that are instances moto really runs.
run_example_on_moto() {
    [[ -n "${LBCLOUD_MOTO_ENDPOINT:-}" ]] || die "the moto server is not running"
    local ids
    ids=$(moto_instance_ids) || die "cannot start EC2 instances on moto for example $1"
    [[ "${ids}" == i-*,i-*,i-* ]] || die "moto returned unexpected instance ids: ${ids}"
    env -u LBCLOUD_ENDPOINT -u AWS_PROFILE -u AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING \
        LBCLOUD_PROVIDER=elb \
        AWS_ENDPOINT_URL="${LBCLOUD_MOTO_ENDPOINT}" \
        AWS_ACCESS_KEY_ID=AKIDEXAMPLES \
        AWS_SECRET_ACCESS_KEY=examples-secret \
        AWS_REGION=us-east-1 \
        LBCLOUD_ZONES=us-east-1a,us-east-1b \
        LBCLOUD_INSTANCE_IDS="${ids}" \
        cargo run --quiet --all-features --example "$1"
}

# Creates a VPC with two subnets (us-east-1a and us-east-1b) on the moto
# server and prints the subnet ids, comma-separated: ELBv2 balancers live
# in subnets.
moto_subnet_ids() {
    "${VENV}/bin/python" - "${LBCLOUD_MOTO_ENDPOINT}" <<'PY'
import sys
import boto3

ec2 = boto3.client(
    "ec2",
    endpoint_url=sys.argv[1],
    region_name="us-east-1",
    aws_access_key_id="AKIDTUTORIAL",
    aws_secret_access_key="tutorial-secret",
)
vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
subnets = [
    ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
    for cidr, zone in (("10.20.1.0/24", "us-east-1a"), ("10.20.2.0/24", "us-east-1b"))
]
print(",".join(subnets))
PY
}

# One example against ELBv2 on the moto server, the same way: standard
# AWS_* variables, subnets and instances that moto really has.
run_elbv2_example_on_moto() {
    [[ -n "${LBCLOUD_MOTO_ENDPOINT:-}" ]] || die "the moto server is not running"
    local ids subnets
    ids=$(moto_instance_ids) || die "cannot start EC2 instances on moto for example $1"
    subnets=$(moto_subnet_ids) || die "cannot create subnets on moto for example $1"
    [[ "${subnets}" == subnet-*,subnet-* ]] || die "moto returned unexpected subnet ids: ${subnets}"
    env -u LBCLOUD_ENDPOINT -u AWS_PROFILE -u AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 \
        LBCLOUD_PROVIDER=elbv2 \
        AWS_ENDPOINT_URL="${LBCLOUD_MOTO_ENDPOINT}" \
        AWS_ACCESS_KEY_ID=AKIDEXAMPLES \
        AWS_SECRET_ACCESS_KEY=examples-secret \
        AWS_REGION=us-east-1 \
        LBCLOUD_SUBNETS="${subnets}" \
        LBCLOUD_INSTANCE_IDS="${ids}" \
        cargo run --quiet --all-features --example "$1"
}

# The tutorial against ELB on moto with credentials from each source of
# the AWS chain in turn, nothing else configured: credential_process, an
# assumed role (STS on moto), web identity (STS on moto), IAM Identity
# Center (an sso-session profile with the token `aws sso login` would have
# cached, in a temporary HOME), ECS container credentials and EC2 instance
# metadata (IMDSv2); the SSO portal, ECS and IMDS are served by
# scripts/metadata_stub.py on loopback. (Environment variables with a
# session token are the tutorial-on-moto stage.)
run_tutorial_per_credential_source() {
    [[ -n "${LBCLOUD_MOTO_ENDPOINT:-}" ]] || die "the moto server is not running"
    local dir ids port stub_pid source
    dir=$(mktemp -d -t lbcloud-creds.XXXXXX)
    ids=$(moto_instance_ids) || die "cannot start EC2 instances on moto"
    port=$("${VENV}/bin/python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')
    python3 scripts/metadata_stub.py "${port}" &
    stub_pid=$!
    cat >"${dir}/process.sh" <<'SH'
#!/bin/sh
echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret", "SessionToken": "process-token"}'
SH
    chmod +x "${dir}/process.sh"
    cat >"${dir}/config" <<CFG
[profile process]
credential_process = ${dir}/process.sh
region = us-east-1

[profile role]
role_arn = arn:aws:iam::123456789012:role/lbcloud-tutorial
source_profile = base
region = us-east-1

[profile sso]
sso_session = lbcloud-stub
sso_account_id = 123456789012
sso_role_name = lbcloud-tutorial
region = us-east-1

[sso-session lbcloud-stub]
sso_start_url = https://lbcloud-stub.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
CFG
    # The token cache `aws sso login` writes: ~/.aws/sso/cache/<SHA-1 of
    # the session name>.json (a token valid for an hour: no refresh).
    local sso_cache
    sso_cache="${dir}/home/.aws/sso/cache"
    mkdir -p "${sso_cache}"
    cat >"${sso_cache}/$(printf '%s' lbcloud-stub | sha1sum | cut -d' ' -f1).json" <<JSON
{"startUrl": "https://lbcloud-stub.awsapps.com/start", "region": "us-east-1",
 "accessToken": "sso-stub-access-token",
 "expiresAt": "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)",
 "clientId": "lbcloud-stub-client", "clientSecret": "lbcloud-stub-client-secret",
 "registrationExpiresAt": "$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)",
 "refreshToken": "sso-stub-refresh-token"}
JSON
    cat >"${dir}/credentials" <<CFG
[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
CFG
    echo "web-identity-token-for-moto" >"${dir}/token"
    : >"${dir}/empty"
    for source in process role web-identity sso ecs imds; do
        echo "--- tutorial on elb with credentials from ${source}"
        local extra=()
        case "${source}" in
            process) extra=(AWS_PROFILE=process AWS_CONFIG_FILE="${dir}/config") ;;
            role) extra=(AWS_PROFILE=role AWS_CONFIG_FILE="${dir}/config" AWS_SHARED_CREDENTIALS_FILE="${dir}/credentials") ;;
            web-identity) extra=(AWS_WEB_IDENTITY_TOKEN_FILE="${dir}/token"
                AWS_ROLE_ARN=arn:aws:iam::123456789012:role/lbcloud-tutorial
                AWS_ROLE_SESSION_NAME=lbcloud-tutorial) ;;
            # HOME moves to the temporary one; cargo and rustup keep theirs.
            sso) extra=(AWS_PROFILE=sso AWS_CONFIG_FILE="${dir}/config"
                AWS_ENDPOINT_URL_SSO="http://127.0.0.1:${port}"
                CARGO_HOME="${CARGO_HOME:-${HOME}/.cargo}"
                RUSTUP_HOME="${RUSTUP_HOME:-${HOME}/.rustup}"
                HOME="${dir}/home") ;;
            ecs) extra=(AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:${port}/ecs/creds"
                AWS_CONTAINER_AUTHORIZATION_TOKEN=ecs-stub-token) ;;
            imds) extra=(AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:${port}/") ;;
        esac
        env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
            -u LBCLOUD_ENDPOINT -u AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING \
            -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_EC2_METADATA_DISABLED \
            AWS_CONFIG_FILE="${dir}/empty" AWS_SHARED_CREDENTIALS_FILE="${dir}/empty" \
            LBCLOUD_PROVIDER=elb \
            AWS_ENDPOINT_URL="${LBCLOUD_MOTO_ENDPOINT}" \
            AWS_REGION=us-east-1 \
            LBCLOUD_ZONES=us-east-1a,us-east-1b \
            LBCLOUD_INSTANCE_IDS="${ids}" \
            "${extra[@]}" \
            cargo run --quiet --all-features --example tutorial >"${dir}/out.txt" 2>&1 \
            || { cat "${dir}/out.txt" >&2; kill "${stub_pid}" 2>/dev/null; die "the tutorial failed with credentials from ${source}"; }
        tail -n 1 "${dir}/out.txt"
    done
    kill "${stub_pid}" 2>/dev/null || true
    wait "${stub_pid}" 2>/dev/null || true
    rm -rf "${dir}"
}

# The tutorial and the haproxy_* examples against a real local HAProxy with
# three demo backends (scripts/haproxy-demo.sh), the way a newcomer tries it.
HAPROXY_DEMO_PID=""
stop_haproxy_demo() {
    if [[ -n "${HAPROXY_DEMO_PID}" ]]; then
        kill "${HAPROXY_DEMO_PID}" 2>/dev/null || true
        wait "${HAPROXY_DEMO_PID}" 2>/dev/null || true
        HAPROXY_DEMO_PID=""
    fi
}

run_on_haproxy() {
    local env_file name
    env_file=$(mktemp -u -t lbcloud-haproxy-env.XXXXXX)
    ./scripts/haproxy-demo.sh --env-file "${env_file}" >/dev/null &
    HAPROXY_DEMO_PID=$!
    for _ in $(seq 1 300); do
        [[ -f "${env_file}" ]] && break
        kill -0 "${HAPROXY_DEMO_PID}" 2>/dev/null || die "scripts/haproxy-demo.sh exited before HAProxy was up"
        sleep 0.2
    done
    [[ -f "${env_file}" ]] || die "scripts/haproxy-demo.sh did not start HAProxy within 60 s"
    # shellcheck disable=SC1090
    source "${env_file}"
    rm -f "${env_file}"
    echo "--- tutorial on haproxy"
    LBCLOUD_PROVIDER=haproxy cargo run --quiet --all-features --example tutorial
    for name in haproxy_quickstart haproxy_rolling_deploy haproxy_certificate_swap; do
        echo "--- example ${name}"
        cargo run --quiet --all-features -p lbcloud-haproxy --example "${name}"
    done
    stop_haproxy_demo
}

# The tutorial against ELB and ELBv2 on moto: the same program as the
# offline run, with temporary credentials (a session token) as STS or SSO
# hand out.
run_tutorial_on_moto() {
    echo "--- tutorial on elb"
    AWS_SESSION_TOKEN=tutorial-session-token run_example_on_moto tutorial
    echo "--- tutorial on elbv2"
    AWS_SESSION_TOKEN=tutorial-session-token run_elbv2_example_on_moto tutorial
}

stage "fmt" fmt_check
stage "system-packages" install_system_packages
stage "clippy" clippy_check
stage "moto-install" install_moto
stage "moto-start" start_moto
stage "test" run_tests
stage "no-default-features" no_default_features
stage "single-features" single_features
stage "docs" docs
stage "package" package
stage "examples" run_examples
stage "tutorial-on-moto" run_tutorial_on_moto
stage "tutorial-per-credential-source" run_tutorial_per_credential_source
stage "haproxy-examples" run_on_haproxy
stop_moto

SUMMARY+=("total $((SECONDS - SCRIPT_START))s")
echo
echo "test.sh: all checks passed: $(IFS=,; echo "${SUMMARY[*]}" | sed 's/,/, /g')"
