# Reads `jfr print --events jdk.ExecutionSample --stack-depth 200` and charges each sample to the
# first frame, from the top of the stack down, that belongs to a part of the request path below.
# Frames of the JDK's collections, strings and the like match nothing and are charged to their caller.
function part(frame) {
  if (frame ~ /^(sun\.security\.|com\.sun\.crypto\.|javax\.crypto\.|io\.netty\.handler\.ssl\.|io\.netty\.internal\.tcnative\.)/) return "TLS (record encryption, SSLEngine)"
  if (frame ~ /^(sun\.nio\.ch\.|java\.nio\.channels\.)/) return "socket reads and writes"
  if (frame ~ /^(ch\.qos\.logback\.|org\.slf4j\.)/ || frame ~ /HttpApi\.printablePath|KeyInUrl\.mask|HttpApi\.lambda\$common\$1/) return "access log"
  if (frame ~ /^(com\.fasterxml\.jackson\.|io\.vertx\.core\.json\.)/) return "JSON encoding"
  if (frame ~ /^dev\.keygate\.(core\.KeyVerifier|core\.KeyDigest|keyformat\.)/) return "key verification (parse, SHA-256, cache)"
  if (frame ~ /^dev\.keygate\.core\.(SlidingWindowRateLimiter|UsageTracker)/) return "rate limit and usage tracking"
  if (frame ~ /^dev\.keygate\.(store|server\.Blocking)|^(org\.sqlite|org\.jdbi|com\.zaxxer|org\.postgresql)\./) return "store lookups (cache misses) and blocking hops"
  if (frame ~ /^dev\.keygate\.server\.(Authenticator|KeyInUrl|BearerTokenResolver)/) return "authenticator's own work (URL check, bearer, headers, futures)"
  if (frame ~ /^dev\.keygate\./) return "other Keygate code (request id, headers, routes)"
  if (frame ~ /^io\.vertx\.ext\.web\./) return "Vert.x Web router"
  if (frame ~ /^(io\.netty\.|io\.vertx\.)/) return "HTTP codec, Netty pipeline, Vert.x core"
  return ""
}
/jdk\.ExecutionSample/ { if (inside) charge(); inside = 1; chosen = ""; next }
/line:/ {
  if (chosen == "") { f = $1; sub(/\(.*/, "", f); chosen = part(f) }
}
function charge() { total++; c[chosen == "" ? "other (JDK internals, threads outside the request path)" : chosen]++ }
END {
  if (inside) charge()
  for (k in c) printf "%6.1f%%  %s\n", 100 * c[k] / total, k | "sort -rn"
  close("sort -rn")
  printf "        (%d samples)\n", total
}
