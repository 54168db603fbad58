#!/usr/bin/env bash
# Prints the path of an S3Proxy server jar, fetching it from Maven Central (once per
# version, cached outside the clone) when missing. The S3 backend tests start it on
# 127.0.0.1 as a real S3-compatible object store (see tests/e2e/s3-server.ts).
# S3Proxy 4.x because the 2.x line refuses the AWS SDK v2 signatures Pulumi's S3 client
# sends on writes (SignatureDoesNotMatch); 4.x needs Java 17.
set -euo pipefail

version=4.1.0
cache_root=${KAYOBE_UPGRADE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kayobe-upgrade}
dir=$cache_root/s3proxy-$version
jar=$dir/s3proxy.jar

need() { command -v "$1" >/dev/null 2>&1 || { echo "ensure-s3proxy: $1 is required: $2" >&2; exit 1; }; }
need java "a Java 17 or newer runtime (Debian: openjdk-17-jre-headless), to run S3Proxy"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${java_major:-0}" -lt 17 ]; then
  echo "ensure-s3proxy: S3Proxy $version needs Java 17 or newer; java here is $java_major" >&2; exit 1
fi

if [ ! -f "$jar" ]; then
  need mvn "Maven (Debian: maven), to fetch S3Proxy from Maven Central"
  echo "ensure-s3proxy: fetching S3Proxy $version from Maven Central into $dir (once)" >&2
  rm -rf "$dir.partial"
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
    -DoutputDirectory="$dir.partial" -Dmdep.stripVersion=true >&2
  mv "$dir.partial/s3proxy-jar-with-dependencies.jar" "$dir.partial/s3proxy.jar"
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
fi
echo "$jar"
