#!/bin/sh
# Regenerates the committed PayPal test fixtures: one RSA key and three self-signed certificates
# for it (valid; expired; wrong subject). `openssl ca -selfsign` sets explicit validity dates, so
# the valid certificate covers the sample events' dates (2026) as well as today.
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
touch "$work/index.txt"
cat > "$work/ca.cnf" <<EOF
[ ca ]
default_ca = test
[ test ]
database = $work/index.txt
new_certs_dir = $work
default_md = sha256
policy = any
serial = $work/serial
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
[ dn ]
EOF

openssl genrsa -out key.pem 2048

make_cert() { # out subject start end serial
  echo "$5" > "$work/serial"
  openssl req -new -key key.pem -subj "$2" -out "$work/req.csr" -config "$work/ca.cnf"
  openssl ca -batch -selfsign -config "$work/ca.cnf" -keyfile key.pem -in "$work/req.csr" \
    -startdate "$3" -enddate "$4" -notext -out "$1"
}

make_cert cert.pem '/O=PayPal Test/CN=messageverificationcerts.sandbox.paypal.com' 20200101000000Z 20991231000000Z 01
make_cert expired-cert.pem '/O=PayPal Test/CN=messageverificationcerts.sandbox.paypal.com' 20200101000000Z 20210101000000Z 02
make_cert wrong-subject-cert.pem '/O=PayPal Test/CN=messageverificationcerts.paypal.com.evil.example' 20200101000000Z 20991231000000Z 03
