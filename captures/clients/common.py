"""Shared helpers for the mailscope capture clients (standard library only)."""
import argparse
import os
import ssl


def tls_context(keylog=None, tls12=False):
    """Client TLS context for the self-signed test servers.

    keylog: path of an NSS key log file (SSLKEYLOGFILE format) to write.
    tls12:  cap the handshake at TLS 1.2 (default negotiates TLS 1.3).
    """
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # self-signed test certificate
    if tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if keylog:
        if os.path.exists(keylog):
            os.unlink(keylog)
        ctx.keylog_filename = keylog
    return ctx


def parser(description, scenarios):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("scenario", choices=scenarios)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int)
    p.add_argument("--keylog", help="write TLS secrets here (NSS key log format)")
    p.add_argument("--tls12", action="store_true", help="force TLS 1.2")
    p.add_argument("--user", default="alice")
    p.add_argument("--password", default="wonderland")
    return p
