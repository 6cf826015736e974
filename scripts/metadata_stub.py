#!/usr/bin/env python3
"""A loopback stand-in for the EC2 instance metadata service (IMDSv2), the
ECS container credentials endpoint and the IAM Identity Center (SSO)
portal, for running the examples with credentials from those sources (see
scripts/test.sh and CONTRIBUTING.md).

    python3 scripts/metadata_stub.py PORT

IMDSv2: PUT /latest/api/token (needs x-aws-ec2-metadata-token-ttl-seconds)
returns a token; every GET under /latest/ needs it (401 otherwise).
ECS: GET /ecs/creds needs `Authorization: ecs-stub-token`.
SSO portal (GetRoleCredentials, point AWS_ENDPOINT_URL_SSO here):
GET /federation/credentials?account_id=123456789012&role_name=lbcloud-tutorial
needs `x-amz-sso_bearer_token: sso-stub-access-token` (401
UnauthorizedException otherwise, 403 ForbiddenException for another
account or role).
Credentials expire in an hour. Binds 127.0.0.1 only; stops after
MAX_REQUESTS requests or when killed.
"""

import datetime
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "imds-stub-session-token"
ROLE = "lbcloud-stub-role"
SSO_TOKEN = "sso-stub-access-token"
SSO_ACCOUNT = "123456789012"
SSO_ROLE = "lbcloud-tutorial"
MAX_REQUESTS = 10_000


def creds(key):
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    return json.dumps({
        "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": key,
        "SecretAccessKey": "stub-secret", "Token": "stub-token",
        "Expiration": exp.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })


def sso_creds():
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    return json.dumps({"roleCredentials": {
        "accessKeyId": "ASIASSOSTUB", "secretAccessKey": "stub-secret",
        "sessionToken": "stub-token", "expiration": int(exp.timestamp() * 1000),
    }})


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body="", error_type=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("content-length", str(len(data)))
        if error_type:
            self.send_header("x-amzn-ErrorType", error_type)
        if status == 200 and self.path == "/latest/api/token":
            self.send_header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
            self.answer(200, TOKEN)
        else:
            self.answer(400)

    def portal(self):
        if self.headers.get("x-amz-sso_bearer_token") != SSO_TOKEN:
            return self.answer(401, '{"message":"Session token not found or invalid"}',
                               "UnauthorizedException")
        query = parse_qs(urlsplit(self.path).query)
        if query.get("account_id") != [SSO_ACCOUNT] or query.get("role_name") != [SSO_ROLE]:
            return self.answer(403, '{"message":"No access"}', "ForbiddenException")
        self.answer(200, sso_creds())

    def do_GET(self):
        if urlsplit(self.path).path == "/federation/credentials":
            return self.portal()
        if self.path == "/ecs/creds":
            ok = self.headers.get("authorization") == "ecs-stub-token"
            return self.answer(200, creds("ASIAECSSTUB")) if ok else self.answer(401)
        if self.headers.get("x-aws-ec2-metadata-token") != TOKEN:
            return self.answer(401)
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == base:
            return self.answer(200, ROLE)
        if self.path == base + ROLE:
            return self.answer(200, creds("ASIAIMDSSTUB"))
        if self.path == "/latest/meta-data/placement/region":
            return self.answer(200, "us-east-1")
        self.answer(404)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    for _ in range(MAX_REQUESTS):
        server.handle_request()
