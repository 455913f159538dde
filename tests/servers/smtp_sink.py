"""An SMTP sink for the notification tests (run by tests/servers/smtp-server).

Listens on 127.0.0.1:PORT with aiosmtpd and writes each accepted message to DIR as one
JSON file (written whole, then renamed): the envelope, the headers and body as Python's
email package decodes them (RFC 2047 words, quoted-printable, base64), the raw message,
and whether the client authenticated. With USER and PASSWORD, AUTH (PLAIN or LOGIN, allowed
without TLS on loopback) is required. Prints "ready" once it accepts connections.
"""

import asyncio
import email
import email.policy
import itertools
import json
import os
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": [[k, str(v)] for k, v in message.items()],
            "subject": str(message.get("subject", "")),
            "body": body.get_content() if body is not None else "",
            "raw": envelope.content.decode("utf-8", "replace"),
            "authenticated": bool(getattr(session, "authenticated", False)),
        }
        n = next(self.counter)
        path = os.path.join(self.directory, f"{n:05}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(path + ".tmp", path)
        return "250 OK"


class Password:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.user
            and auth_data.password == self.password
        )
        return AuthResult(success=ok)


async def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    auth = Password(sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else None
    sink = Sink(directory)

    def protocol():
        return SMTP(
            sink,
            hostname="localhost",
            authenticator=auth,
            auth_required=auth is not None,
            auth_require_tls=False,
        )

    loop = asyncio.get_running_loop()
    server = await loop.create_server(protocol, "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
