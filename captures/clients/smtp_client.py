#!/usr/bin/env python3
"""SMTP scenarios that need TLS key logging or SIZE, driven by Python's smtplib.

  starttls  port 587: EHLO, STARTTLS, EHLO, AUTH, one message, QUIT
  smtps     port 465: implicit TLS, EHLO, AUTH, one message, QUIT
  too-big   port 25: a ~5 MB message; smtplib declares SIZE= in MAIL FROM and
            Postfix answers 552 5.3.4 Message size exceeds fixed limit
"""
import smtplib
import sys
from email.message import EmailMessage
from email.utils import formatdate

from common import parser, tls_context


def message(sender, rcpt, subject, body):
    m = EmailMessage()
    m["From"] = sender
    m["To"] = rcpt
    m["Subject"] = subject
    m["Date"] = formatdate(localtime=False)
    m["Message-ID"] = "<%s@client.example.test>" % subject.replace(" ", "-").lower()
    m.set_content(body)
    return m


def main():
    a = parser(__doc__, ["starttls", "smtps", "too-big"]).parse_args()
    sender = "%s@example.test" % a.user
    rcpt = "bob@example.test"
    if a.scenario == "starttls":
        ctx = tls_context(a.keylog, a.tls12)
        with smtplib.SMTP(a.host, a.port or 587, local_hostname="client.example.test") as s:
            s.ehlo()
            s.starttls(context=ctx)
            s.ehlo()
            s.login(a.user, a.password)
            s.send_message(message(sender, rcpt, "STARTTLS test", "Sent over STARTTLS on port 587.\n"))
    elif a.scenario == "smtps":
        ctx = tls_context(a.keylog, a.tls12)
        with smtplib.SMTP_SSL(a.host, a.port or 465, local_hostname="client.example.test", context=ctx) as s:
            s.ehlo()
            s.login(a.user, a.password)
            s.send_message(message(sender, rcpt, "SMTPS test", "Sent over implicit TLS on port 465.\n"))
    elif a.scenario == "too-big":
        line = "x" * 76 + "\n"
        body = line * (5 * 1024 * 1024 // len(line))  # ~5 MB, above message_size_limit (4 MiB)
        with smtplib.SMTP(a.host, a.port or 25, local_hostname="client.example.test") as s:
            try:
                s.send_message(message(sender, rcpt, "Too big", body))
            except smtplib.SMTPSenderRefused as e:
                print("refused as expected:", e.smtp_code, e.smtp_error.decode())
                return 0
            print("unexpected: message accepted", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
