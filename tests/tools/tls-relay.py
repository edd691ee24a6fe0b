#!/usr/bin/env python3
"""A mail relay over TLS for the tests: aiosmtpd (Debian's python3-aiosmtpd) on a loopback
port, STARTTLS (required) or implicit TLS, AUTH required, every recipient delivered to a
Maildir of its own (<maildir>/<rcpt>/new/<file>), as OpenSMTPD does in the plain tests.

Debian 12's OpenSMTPD fails every TLS handshake under OpenSSL 3, so TLS is tested here."""

import argparse
import os
import signal
import ssl
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--mode", choices=["starttls", "tls"], required=True)
parser.add_argument("--cert", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--password", required=True)
parser.add_argument("--maildir", required=True)
args = parser.parse_args()


class Deliver:
    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            new = os.path.join(args.maildir, rcpt, "new")
            tmp = os.path.join(args.maildir, rcpt, "tmp")
            os.makedirs(new, exist_ok=True)
            os.makedirs(tmp, exist_ok=True)
            name = f"{time.time_ns()}.{uuid.uuid4().hex}"
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(envelope.original_content or envelope.content)
            os.rename(os.path.join(tmp, name), os.path.join(new, name))
        tls = session.ssl is not None or args.mode == "tls"
        print(f"delivered tls={tls} to={envelope.rcpt_tos}", flush=True)
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == args.user.encode()
        and auth_data.password == args.password.encode()
    )
    print(f"auth {mechanism} ok={ok}", flush=True)
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(args.cert, args.key)
common = dict(
    hostname="127.0.0.1",
    port=args.port,
    authenticator=authenticate,
    auth_required=True,
)
if args.mode == "starttls":
    controller = Controller(
        Deliver(), tls_context=context, require_starttls=True, auth_require_tls=True, **common
    )
else:
    # aiosmtpd only counts STARTTLS as TLS for AUTH: here the whole connection is.
    controller = Controller(Deliver(), ssl_context=context, auth_require_tls=False, **common)
controller.start()
print(f"listening {args.mode} {args.port}", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
