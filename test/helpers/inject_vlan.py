#!/usr/bin/env python3
"""Sends the Ethernet frames of a classic pcap onto an interface, each with an
802.1Q tag (VLAN 100) added, as a switch trunk port would deliver them.

usage: inject_vlan.py CAPTURE.pcap IFACE
"""
import socket
import struct
import sys
import time


def main():
    path, iface = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        sys.exit("little-endian classic pcap expected")
    if struct.unpack("<I", data[20:24])[0] != 1:
        sys.exit("Ethernet link type expected")
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((iface, 0))
    offset, sent = 24, 0
    while offset + 16 <= len(data):
        _sec, _frac, incl, _orig = struct.unpack("<IIII", data[offset:offset + 16])
        frame = data[offset + 16:offset + 16 + incl]
        offset += 16 + incl
        sock.send(frame[:12] + b"\x81\x00" + struct.pack("!H", 100) + frame[12:])
        sent += 1
        time.sleep(0.002)
    print(sent, "frames sent")


if __name__ == "__main__":
    main()
