"""Signs one request with botocore's own SigV4Auth at a fixed time and prints what it produced.

Reads JSON on stdin: method, url, headers, body, accessKeyId, secretAccessKey, sessionToken, region,
service, timestamp (YYYYmmddTHHMMSSZ). Prints JSON: canonicalRequest, stringToSign, authorization.
Run with /usr/bin/python3 (Debian's python3-botocore).
"""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

spec = json.load(sys.stdin)
fixed = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")


class FixedClock(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return fixed


class RecordingSigV4Auth(botocore.auth.SigV4Auth):
    """botocore's signer unchanged; only remembers the canonical request and string to sign it made."""

    def canonical_request(self, request):
        self.recorded_canonical = super().canonical_request(request)
        return self.recorded_canonical

    def string_to_sign(self, request, canonical_request):
        self.recorded_string_to_sign = super().string_to_sign(request, canonical_request)
        return self.recorded_string_to_sign


botocore.auth.datetime.datetime = FixedClock
credentials = Credentials(spec["accessKeyId"], spec["secretAccessKey"], spec.get("sessionToken"))
auth = RecordingSigV4Auth(credentials, spec["service"], spec["region"])
request = AWSRequest(
    method=spec["method"], url=spec["url"], headers=spec["headers"], data=spec["body"].encode("utf-8")
)
auth.add_auth(request)
json.dump(
    {
        "canonicalRequest": auth.recorded_canonical,
        "stringToSign": auth.recorded_string_to_sign,
        "authorization": request.headers["Authorization"],
    },
    sys.stdout,
)
