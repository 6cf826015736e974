#!/usr/bin/env python3
"""A loopback stand-in for the EC2 instance metadata service (IMDSv2) and
the ECS container credentials endpoint, for running the examples with
credentials from those sources (see scripts/test.sh and CONTRIBUTING.md).

    python3 scripts/metadata_stub.py PORT

IMDSv2: PUT /latest/api/token (needs x-aws-ec2-metadata-token-ttl-seconds)
returns a token; every GET under /latest/ needs it (401 otherwise).
ECS: GET /ecs/creds needs `Authorization: ecs-stub-token`.
Credentials expire in an hour. Binds 127.0.0.1 only; stops after
MAX_REQUESTS requests or when killed.
"""

import datetime
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

TOKEN = "imds-stub-session-token"
ROLE = "lbcloud-stub-role"
MAX_REQUESTS = 10_000


def creds(key):
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    return json.dumps({
        "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": key,
        "SecretAccessKey": "stub-secret", "Token": "stub-token",
        "Expiration": exp.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body=""):
        data = body.encode()
        self.send_response(status)
        self.send_header("content-length", str(len(data)))
        if status == 200 and self.path == "/latest/api/token":
            self.send_header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
            self.answer(200, TOKEN)
        else:
            self.answer(400)

    def do_GET(self):
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
