#!/usr/bin/env bash
# Remakes the dcmtk-made DICOM fixtures here (synthetic pixels, FAKE identity): apt-get install dcmtk python3.
# They are committed, so the tests need neither dcmtk nor this script; it documents how they were made.
# They guard against the test-side DicomWriter and the reader sharing a misreading of the standard.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
head_dump() { # $1 photometric, $2 bits allocated, $3 bits stored, $4 rows, $5 cols
cat <<DUMP
(0002,0001) OB 00\01
(0002,0002) UI =DigitalXRayImageStorageForPresentation
(0002,0003) UI [1.2.826.0.1.3680043.2.1125.99.2]
(0002,0010) UI =LittleEndianExplicit
(0008,0016) UI =DigitalXRayImageStorageForPresentation
(0008,0018) UI [1.2.826.0.1.3680043.2.1125.99.2]
(0008,0050) SH [FAKEACC-5519]
(0008,0060) CS [DX]
(0010,0010) PN [Zzfakename^Qqtestperson]
(0010,0020) LO [FAKEPID-7731]
(0010,0030) DA [19020304]
(0018,0015) CS [CHEST]
(0018,5101) CS [AP]
(0028,0002) US 1
(0028,0004) CS [$1]
(0028,0010) US $4
(0028,0011) US $5
(0028,0100) US $2
(0028,0101) US $3
(0028,0102) US $(($3 - 1))
(0028,0103) US 0
DUMP
}
# 1. implicit VR, MONOCHROME1, 12 of 16 bits, one window (2048/1024); pixels 0, 256, ..., 3840 row by row (4x4)
{ head_dump MONOCHROME1 16 12 4 4
  echo '(0028,1050) DS [2048]'
  echo '(0028,1051) DS [1024]'
  printf '(7fe0,0010) OW '; python3 -c "print('\\\\'.join('%04x' % (i * 256) for i in range(16)))"
} > "$tmp/m1.dump"
dump2dcm "$tmp/m1.dump" "$tmp/m1-explicit.dcm"
dcmconv +ti "$tmp/m1-explicit.dcm" dcmtk-implicit-monochrome1-12bit.dcm
# 2.-4. an 8-bit 16x16 gradient as JPEG baseline and JPEG lossless SV1 (dcmcjpeg) and RLE (dcmcrle)
{ head_dump MONOCHROME2 8 8 16 16
  printf '(7fe0,0010) OB '; python3 -c "print('\\\\'.join('%02x' % ((x * 16 + y) % 256) for y in range(16) for x in range(16)))"
} > "$tmp/g8.dump"
dump2dcm "$tmp/g8.dump" "$tmp/g8.dcm"
dcmcjpeg +eb "$tmp/g8.dcm" dcmtk-jpeg-baseline.dcm
dcmcjpeg "$tmp/g8.dcm" dcmtk-jpeg-lossless.dcm
dcmcrle "$tmp/g8.dcm" dcmtk-rle.dcm
ls -l *.dcm
