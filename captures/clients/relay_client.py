#!/usr/bin/env python3
"""The classic open-relay tests, one transaction each (MAIL, RCPT, RSET), in
one SMTP session, driven by Python's smtplib so every address goes on the
wire exactly as written (swaks would re-quote some of them).

  relay     EHLO, then for each test MAIL FROM + RCPT TO + RSET, then QUIT:
            an outside domain, user%remote@local (percent hack),
            "user@remote"@local (quoted local part), @local:user@remote
            (source route), user@[192.0.2.1] (IP literal), and the null
            sender <> to an outside domain.

No DATA is sent: whether the server would relay shows in its RCPT reply.
Every outside address is in a reserved domain (RFC 2606 .example, RFC 5737
192.0.2.0/24); the test servers send nothing anywhere (default_transport error).
"""
import smtplib

from common import parser

LOCAL = "example.test"
REMOTE = "elsewhere.example"

TESTS = [
    ("relay-test@%s" % LOCAL, "victim@%s" % REMOTE),
    ("relay-test@%s" % LOCAL, "victim%%%s@%s" % (REMOTE, LOCAL)),
    ("relay-test@%s" % LOCAL, '"victim@%s"@%s' % (REMOTE, LOCAL)),
    ("relay-test@%s" % LOCAL, "@%s:victim@%s" % (LOCAL, REMOTE)),
    ("relay-test@%s" % LOCAL, "victim@[192.0.2.1]"),
    ("", "victim@%s" % REMOTE),
]


def main():
    a = parser(__doc__, ["relay"]).parse_args()
    with smtplib.SMTP(a.host, a.port or 25, local_hostname="client.example.test") as s:
        s.ehlo()
        for sender, rcpt in TESTS:
            print("MAIL", s.docmd("MAIL", "FROM:<%s>" % sender))
            print("RCPT", rcpt, s.docmd("RCPT", "TO:<%s>" % rcpt))
            print("RSET", s.docmd("RSET"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
