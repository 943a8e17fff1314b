#!/bin/sh
# Makes the certificates for mutual TLS between Temporal and its clients, with openssl:
#
#   <out>/ca.pem, ca.key            the certificate authority every party trusts (keep ca.key offline)
#   <out>/server/cert.pem, key.pem  the Temporal server: frontend, internode and its system worker
#   <out>/<client>/cert.pem, key.pem one per client: worker, api, cli, ui
#
# Usage: deploy/tls/make-certs.sh [out-dir]   (default: deploy/tls/certs, ignored by git)
# Environment: TLS_SERVER_NAMES  extra names for the server certificate, comma-separated
#              (DNS names or IP addresses of a self-hosted cluster's frontend);
#              TLS_DAYS          validity in days (default 825).
# What exists is kept: run again after adding a client and only the missing files are made.
set -eu

out=${1:-"$(dirname "$0")/certs"}
days=${TLS_DAYS:-825}
clients="worker api cli ui"
umask 077
mkdir -p "$out"
chmod 755 "$out"

# EC P-256 keys: accepted by Go (the server, UI) and rustls (the TypeScript SDK's core), and quick to make.
new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [ ! -f "$out/ca.pem" ]; then
  new_key "$out/ca.key"
  openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days" -subj "/O=CSP Enrollment/CN=CSP Enrollment Temporal CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$out/ca.pem"
  chmod 644 "$out/ca.pem"
fi

# issue <name> <extended key usage> [subjectAltName]
issue() {
  dir="$out/$1"
  [ -f "$dir/cert.pem" ] && return 0
  mkdir -p "$dir"
  chmod 755 "$dir" # the key inside stays 600: only its owner reads it
  new_key "$dir/key.pem"
  ext="$dir/ext.cnf"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$2"
    [ -n "${3:-}" ] && echo "subjectAltName=$3"
  } >"$ext"
  openssl req -new -key "$dir/key.pem" -subj "/O=CSP Enrollment/CN=$1" -out "$dir/request.csr"
  openssl x509 -req -in "$dir/request.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
    -sha256 -days "$days" -extfile "$ext" -out "$dir/cert.pem" 2>/dev/null
  rm -f "$dir/request.csr" "$ext"
  chmod 644 "$dir/cert.pem"
}

# The server certificate also authenticates the server to itself (internode calls, its system
# worker), hence clientAuth. "temporal" is the name every internal client verifies.
names="DNS:temporal,DNS:localhost,IP:127.0.0.1"
for name in $(echo "${TLS_SERVER_NAMES:-}" | tr ',' ' '); do
  case $name in
    *[!0-9.]*) names="$names,DNS:$name" ;;
    *) names="$names,IP:$name" ;;
  esac
done
issue server serverAuth,clientAuth "$names"
for client in $clients; do issue "$client" clientAuth; done
rm -f "$out/ca.srl"
echo "certificates in $out: ca.pem, server/, $(echo "$clients" | sed 's/ /\/, /g')/"
