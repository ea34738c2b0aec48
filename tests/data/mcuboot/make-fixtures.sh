#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Makes the MCUboot fixtures in this folder with the real imgtool. Run by hand, never by the tests (CI has
# no imgtool): the outputs are committed. Usage:
#
#   make-fixtures.sh <mcuboot checkout> [python3]
#
# imgtool runs from <mcuboot checkout>/scripts with Debian's python3-click, python3-cbor2,
# python3-cryptography and python3-intelhex. The fixtures in git were made from mcu-tools/mcuboot at
# commit 2d4bacc3c15ebb6f91c28807fe6eb38b4ba98f77 (imgtool 2.4.0) with /usr/bin/python3 (Debian 12).
# Signatures (RSA-PSS, ECDSA) are randomised and keys are generated afresh, so a new run makes different
# bytes: rerun it whole, never for one file. The signing keys' private halves are deleted at the end: the
# tests only verify, with the public keys (imgtool getpub -e pem). One private key is kept,
# ecdsa-p256-other.key.pem: it signs nothing and is there to test reading a private key's public half.
set -euo pipefail

mcuboot=${1:?usage: make-fixtures.sh <mcuboot checkout> [python3]}
python=${2:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
imgtool() { "$python" "$mcuboot/scripts/imgtool.py" "$@"; }
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT

cd "$here"
rm -f ./*.bin ./*.pem

# The application: 0x200 zero bytes where imgtool puts the header (--header-size 0x200 without
# --pad-header needs them), then 1 KiB of a fixed pattern.
"$python" -c 'import sys; sys.stdout.buffer.write(bytes(0x200) + bytes((i * 7 + 3) & 0xff for i in range(0x400)))' \
    > "$keys/app.bin"

for type in rsa-2048 rsa-3072 ecdsa-p256 ecdsa-p384 ed25519; do
    imgtool keygen -t "$type" -k "$keys/$type.pem"
    imgtool getpub -e pem -k "$keys/$type.pem" -o "$type.pub.pem"
done
# Another P-256 key (signs nothing: "the wrong key" of the same kind), and an X25519 key (an encryption
# key, which no MCUboot signature uses).
imgtool keygen -t ecdsa-p256 -k ecdsa-p256-other.key.pem
imgtool getpub -e pem -k ecdsa-p256-other.key.pem -o ecdsa-p256-other.pub.pem
imgtool keygen -t x25519 -k "$keys/x25519.pem"
imgtool getpub -e pem -k "$keys/x25519.pem" -o x25519.pub.pem

# Signed images, not padded: the hash and signature checks. imgtool wants a slot size even without --pad.
sign() { imgtool sign --header-size 0x200 --version 1.2.3 "$@"; }
signed() { sign --slot-size 0x4000 "$@"; }
signed -k "$keys/rsa-2048.pem" -s auto --align 4 "$keys/app.bin" signed-rsa-2048.bin
signed -k "$keys/rsa-3072.pem" --align 4 "$keys/app.bin" signed-rsa-3072.bin
signed -k "$keys/ecdsa-p256.pem" -s auto --align 4 "$keys/app.bin" signed-ecdsa-p256.bin
signed -k "$keys/ecdsa-p256.pem" --public-key-format full --align 4 "$keys/app.bin" signed-ecdsa-p256-pubkey.bin
signed -k "$keys/ecdsa-p384.pem" --align 4 "$keys/app.bin" signed-ecdsa-p384.bin
signed -k "$keys/ed25519.pem" --align 4 "$keys/app.bin" signed-ed25519.bin
signed -k "$keys/ed25519.pem" --sha 512 --align 4 "$keys/app.bin" signed-ed25519-sha512.bin
signed -k "$keys/ed25519.pem" --pure --align 4 "$keys/app.bin" signed-ed25519-pure.bin
signed -k "$keys/ecdsa-p256.pem" --pad-sig --align 4 "$keys/app.bin" signed-ecdsa-p256-padsig.bin
signed --align 4 "$keys/app.bin" hashed-only.bin

# The corrupted body: signed-ecdsa-p256.bin with one payload byte (offset 0x300) inverted.
"$python" -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[0x300] ^= 0xff; open(sys.argv[2], "wb").write(b)' \
    signed-ecdsa-p256.bin corrupted-ecdsa-p256.bin

# Padded images: the trailer of a test request (--pad) and of a permanent one (--pad --confirm, also what
# a confirmed primary slot holds), per write alignment, BOOT_MAX_ALIGN and slot size.
# Names: pad-<test|confirm>-a<align>-m<max-align>-s<slot size>[-M<max sectors>].bin
padded() { # align max-align slot-size [extra imgtool options...]
    local a=$1 m=$2 s=$3
    shift 3
    local tag="a$a-m$m-s$s"
    [ $# -gt 0 ] && [ "$1" = -M ] && tag="$tag-M$2"
    sign -k "$keys/ecdsa-p256.pem" --align "$a" --max-align "$m" --slot-size "$s" --pad "$@" \
        "$keys/app.bin" "pad-test-$tag.bin"
    sign -k "$keys/ecdsa-p256.pem" --align "$a" --max-align "$m" --slot-size "$s" --pad --confirm "$@" \
        "$keys/app.bin" "pad-confirm-$tag.bin"
}
padded 1 8 0x4000
padded 4 8 0x5000
padded 8 8 0x8000
padded 4 8 0x10000 -M 64
padded 1 32 0x4000
padded 4 32 0x6000
padded 8 32 0x4000
padded 32 32 0x8000

# Overwrite-only: imgtool writes no image_ok there, even with --confirm.
sign -k "$keys/ecdsa-p256.pem" --align 4 --slot-size 0x4000 --overwrite-only --pad --confirm \
    "$keys/app.bin" pad-confirm-overwrite-a4-m8-s0x4000.bin
# A device that erases to 0x00.
sign -k "$keys/ecdsa-p256.pem" --align 4 --slot-size 0x4000 -R 0 --pad --confirm \
    "$keys/app.bin" pad-confirm-erased0-a4-m8-s0x4000.bin

ls -l "$here"
