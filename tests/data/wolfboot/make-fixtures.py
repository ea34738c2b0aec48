#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Makes the wolfBoot images tests/core/boot/tst_wolfbootcheck.cpp and the inspect tests read, laid out as
# wolfBoot's sign tool lays them out (tag order and padding as in tools/unit-tests/unit-image.c's signed
# test image): "WOLF", firmware size, VERSION, TIMESTAMP, IMG_TYPE, the digest, PUBKEY (the hint: the
# digest algorithm's hash of the key as the keystore holds it), SIGNATURE (ECDSA as raw r || s over the
# digest; Ed25519 over the digest), 0xff up to the 256-byte header. The digest covers the header up to
# the digest tag's first byte, then the firmware. Both rules were checked against that wolfBoot test
# image with the key of unit-keystore.c.
#
#   python3 make-fixtures.py      (needs python3-cryptography; the outputs are kept in git, CI never runs it)
import hashlib
import struct
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, utils

here = Path(__file__).resolve().parent
firmware = bytes((i * 7 + 3) & 0xff for i in range(3000))


def tag(kind, value):
    return struct.pack("<HH", kind, len(value)) + value


def image(version, auth, keystore_bytes, sign, payload=firmware):
    head = b"WOLF" + struct.pack("<I", len(payload))
    head += tag(0x01, struct.pack("<I", version)) + b"\xff" * 4
    head += tag(0x02, struct.pack("<Q", 1700000000))
    head += tag(0x04, struct.pack("<H", (auth << 8) | 0x01)) + b"\xff" * 6
    digest = hashlib.sha256(head + payload).digest()
    head += tag(0x03, digest)
    head += tag(0x10, hashlib.sha256(keystore_bytes).digest())
    head += tag(0x20, sign(digest))
    return head + b"\xff" * (256 - len(head)) + payload


def write_key(name, key):
    (here / name).write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


ecc = ec.generate_private_key(ec.SECP256R1())
point = ecc.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)[1:]


def ecc_sign(digest):
    r, s = utils.decode_dss_signature(ecc.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256()))))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


ed = ed25519.Ed25519PrivateKey.generate()
ed_raw = ed.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

write_key("ecc256.pub.pem", ecc)
write_key("ed25519.pub.pem", ed)
signed = image(7, 0x02, point, ecc_sign)
(here / "signed-ecc256-v7.bin").write_bytes(signed)
(here / "signed-ed25519-v3.bin").write_bytes(image(3, 0x01, ed_raw, ed.sign))
corrupted = bytearray(signed)
corrupted[256 + 1000] ^= 0x01
(here / "corrupted-ecc256-v7.bin").write_bytes(bytes(corrupted))
