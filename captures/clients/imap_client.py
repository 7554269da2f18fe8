#!/usr/bin/env python3
"""IMAP scenarios driven by Python's imaplib.

  login     port 143 clear text: CAPABILITY, LOGIN, SELECT INBOX, FETCH 1, LOGOUT
  failure   port 143 clear text: LOGIN with a wrong password -> NO [AUTHENTICATIONFAILED], LOGOUT
  starttls  port 143: STARTTLS, then the same as login
  imaps     port 993: implicit TLS, then the same as login
"""
import imaplib
import sys

from common import parser, tls_context


def session(m, a):
    m.login(a.user, a.password)
    m.list()
    typ, data = m.select("INBOX")
    print("SELECT", typ, data)
    m.fetch("1:*", "(FLAGS RFC822.SIZE)")
    typ, data = m.fetch("1", "(BODY.PEEK[])")
    print("FETCH", typ, len(data[0][1]) if data and data[0] else 0, "bytes")
    m.close()
    m.logout()


def main():
    a = parser(__doc__, ["login", "failure", "starttls", "imaps"]).parse_args()
    if a.scenario == "login":
        session(imaplib.IMAP4(a.host, a.port or 143), a)
    elif a.scenario == "failure":
        m = imaplib.IMAP4(a.host, a.port or 143)
        try:
            m.login(a.user, a.password + "-wrong")
        except imaplib.IMAP4.error as e:
            print("login refused as expected:", e)
        m.logout()
    elif a.scenario == "starttls":
        m = imaplib.IMAP4(a.host, a.port or 143)
        m.starttls(ssl_context=tls_context(a.keylog, a.tls12))
        session(m, a)
    elif a.scenario == "imaps":
        session(imaplib.IMAP4_SSL(a.host, a.port or 993, ssl_context=tls_context(a.keylog, a.tls12)), a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
