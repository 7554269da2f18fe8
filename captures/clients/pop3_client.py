#!/usr/bin/env python3
"""POP3 scenarios driven by Python's poplib.

  login     port 110 clear text: CAPA, USER, PASS, STAT, LIST, UIDL, RETR 1, QUIT
  failure   port 110 clear text: USER, PASS with a wrong password -> -ERR [AUTH], QUIT
  stls      port 110: CAPA, STLS, then the same as login
  pop3s     port 995: implicit TLS, then the same as login
"""
import poplib
import sys

from common import parser, tls_context


def session(p, a):
    p.capa()
    p.user(a.user)
    p.pass_(a.password)
    print("STAT", p.stat())
    p.list()
    p.uidl()
    resp, lines, octets = p.retr(1)
    print("RETR", resp, octets, "octets")
    p.quit()


def main():
    a = parser(__doc__, ["login", "failure", "stls", "pop3s"]).parse_args()
    if a.scenario == "login":
        session(poplib.POP3(a.host, a.port or 110), a)
    elif a.scenario == "failure":
        p = poplib.POP3(a.host, a.port or 110)
        p.user(a.user)
        try:
            p.pass_(a.password + "-wrong")
        except poplib.error_proto as e:
            print("login refused as expected:", e)
        p.quit()
    elif a.scenario == "stls":
        p = poplib.POP3(a.host, a.port or 110)
        p.capa()
        p.stls(context=tls_context(a.keylog, a.tls12))
        session(p, a)
    elif a.scenario == "pop3s":
        session(poplib.POP3_SSL(a.host, a.port or 995, context=tls_context(a.keylog, a.tls12)), a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
