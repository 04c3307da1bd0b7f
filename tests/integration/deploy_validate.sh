#!/bin/sh
# deploy_validate.sh - checks the deployment files that cannot run here (no
# container engine, no cluster, no systemd as PID 1):
#   - every YAML file parses (compose, Kubernetes, Prometheus, Grafana)
#   - Kubernetes manifests: probes, resources, securityContext, PDB, HPA,
#     Service/PDB selectors match the pods, grace period > shutdown timeout,
#     ConfigMap keys known to the engine
#   - systemd unit: `systemd-analyze verify` + the hardening directives
#   - Grafana dashboard: JSON parses, every interdict_* metric it (or the
#     Prometheus alerts) queries is exported by engine/metrics.c
#   - Dockerfile: >= 2 stages, non-root USER, HEALTHCHECK, ENTRYPOINT, COPY
#     sources exist, runtime packages cover bin/interdict's NEEDED libraries
#   - kafka.sh / kafka_interop.sh: bash -n
# Prints "deploy_validate: N passed, M failed".  Needs python3 with PyYAML
# (Debian python3-yaml; /usr/bin/python3 or INTERDICT_PY).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
PY=${INTERDICT_PY:-/usr/bin/python3}
"$PY" -c 'import yaml' 2>/dev/null || PY=python3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/deploy_validate.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*"; }

if ! "$PY" -c 'import yaml' 2>/dev/null; then
	bad "PyYAML importable (apt-get install python3-yaml)"
	echo "deploy_validate: $pass passed, $fail failed"
	exit 1
fi

# ---- systemd ---------------------------------------------------------------
UNIT=deploy/systemd/interdict.service
if command -v systemd-analyze >/dev/null; then
	# ExecStart must name an existing binary for verify: point it at ours
	# (or /bin/true) in a copy.
	exe=$ROOT/bin/interdict
	[ -x "$exe" ] || exe=/bin/true
	sed "s|^ExecStart=/usr/local/bin/interdict|ExecStart=$exe|" "$UNIT" >"$TMP/interdict.service"
	if out=$(systemd-analyze verify "$TMP/interdict.service" 2>&1) && [ -z "$out" ]; then
		ok "systemd-analyze verify $UNIT"
	else
		bad "systemd-analyze verify $UNIT: $out"
	fi
else
	echo "# systemd-analyze not installed: unit checked by content only"
fi

# ---- everything else in Python ---------------------------------------------
HELP_CONFIG=""
if [ -x bin/interdict ] && bin/interdict serve --help-config >"$TMP/help-config.txt" 2>/dev/null; then
	HELP_CONFIG=$TMP/help-config.txt
fi
NEEDED=""
if [ -x bin/interdict ] && command -v readelf >/dev/null && command -v dpkg >/dev/null; then
	# direct NEEDED libraries -> Debian packages that ship them
	for lib in $(readelf -d bin/interdict | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
		path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
		[ -n "$path" ] || continue
		pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1)
		[ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1)
		echo "$lib $pkg"
	done >"$TMP/needed.txt"
	NEEDED=$TMP/needed.txt
fi

"$PY" - "$HELP_CONFIG" "$NEEDED" >"$TMP/results.txt" <<'PY'
import glob, json, os, re, sys
import yaml

help_config, needed = sys.argv[1], sys.argv[2]
def res(ok, text):
    print(("ok" if ok else "FAIL") + "\t" + text.replace("\n", " "))

# -- YAML ------------------------------------------------------------------
docs = {}
yaml_files = (["deploy/compose.yaml"] + sorted(glob.glob("deploy/k8s/*.yaml"))
              + sorted(glob.glob("deploy/prometheus/*.yml"))
              + sorted(glob.glob("deploy/grafana/provisioning/*/*.yml")))
for f in yaml_files:
    try:
        docs[f] = [d for d in yaml.safe_load_all(open(f, encoding="utf-8")) if d is not None]
        res(bool(docs[f]), "YAML parses: " + f)
    except Exception as e:
        res(False, "YAML parses: %s: %s" % (f, e))
res(len(yaml_files) >= 8, "YAML files found (%d)" % len(yaml_files))

def get(d, *path, default=None):
    for p in path:
        if isinstance(d, dict) and p in d: d = d[p]
        elif isinstance(d, list) and isinstance(p, int) and p < len(d): d = d[p]
        else: return default
    return d

# -- Kubernetes --------------------------------------------------------------
k8s = {}
for f, ds in docs.items():
    if f.startswith("deploy/k8s/"):
        for d in ds:
            if isinstance(d, dict) and "kind" in d:
                k8s.setdefault(d["kind"], []).append(d)
                res("namespace" not in d.get("metadata", {}),
                    "k8s %s/%s is namespace-agnostic" % (d["kind"], get(d, "metadata", "name")))
kust = next((d for d in docs.get("deploy/k8s/kustomization.yaml", [])), {})
for r in kust.get("resources", []):
    res(os.path.exists("deploy/k8s/" + r), "kustomization resource exists: " + r)
listed = set(kust.get("resources", []))
for f in glob.glob("deploy/k8s/*.yaml"):
    b = os.path.basename(f)
    if b != "kustomization.yaml":
        res(b in listed, "kustomization lists " + b)

dep = (k8s.get("Deployment") or [{}])[0]
pod = get(dep, "spec", "template", "spec", default={})
labels = get(dep, "spec", "template", "metadata", "labels", default={})
res(get(dep, "spec", "replicas") == 3, "Deployment replicas 3")
res(get(dep, "spec", "selector", "matchLabels", default={"x": 1}).items() <= labels.items(),
    "Deployment selector matches its pod labels")
c = get(pod, "containers", 0, default={})
ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
res(get(c, "livenessProbe", "httpGet", "path") == "/healthz", "liveness probe GET /healthz")
res(get(c, "readinessProbe", "httpGet", "path") == "/readyz", "readiness probe GET /readyz")
for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
    pp = get(c, probe, "httpGet", "port")
    if pp is not None:
        res(pp in ports or pp in ports.values(), "%s port %s is a container port" % (probe, pp))
for kind in ("requests", "limits"):
    for r in ("cpu", "memory"):
        res(get(c, "resources", kind, r) is not None, "resources.%s.%s set" % (kind, r))
sc, psc = c.get("securityContext", {}), pod.get("securityContext", {})
res(sc.get("runAsNonRoot") is True or psc.get("runAsNonRoot") is True, "securityContext runAsNonRoot")
res((sc.get("runAsUser") or psc.get("runAsUser") or 0) != 0, "securityContext runAsUser is not 0")
res(sc.get("readOnlyRootFilesystem") is True, "securityContext readOnlyRootFilesystem")
res(sc.get("allowPrivilegeEscalation") is False, "securityContext allowPrivilegeEscalation false")
res("ALL" in get(sc, "capabilities", "drop", default=[]), "capabilities drop ALL")
res(get(psc, "seccompProfile", "type") in ("RuntimeDefault", "Localhost"), "seccompProfile set")
mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
vols = {v["name"] for v in pod.get("volumes", [])}
res(all(m["name"] in vols for m in c.get("volumeMounts", [])), "every volumeMount has a volume")
res(any(m.startswith("/var/lib/interdict") for m in mounts), "journal dir is a writable volume (read-only root)")

cm = next((d for d in k8s.get("ConfigMap", []) if "interdict.properties" in d.get("data", {})), None)
res(cm is not None, "ConfigMap carries interdict.properties")
props = {}
if cm:
    text = re.sub(r"\\\n\s*", "", cm["data"]["interdict.properties"])
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            k, _, v = line.partition("=")
            props[k.strip()] = v.strip()
    shutdown_s = float(props.get("shutdown.timeout.ms", "10000")) / 1000
    grace = pod.get("terminationGracePeriodSeconds", 30)
    res(grace > shutdown_s + 5, "terminationGracePeriodSeconds %s > shutdown.timeout.ms %ss + 5" % (grace, shutdown_s))
    hl = props.get("http.listen", "127.0.0.1:9464")
    args = " ".join(c.get("args", []))
    res(not hl.startswith("127.") or "http.listen=0.0.0.0" in args, "metrics listen on the pod IP, not loopback")
    port = int((re.search(r"http\.listen=[^ ]*:(\d+)", args) or re.search(r":(\d+)$", hl)).group(1))
    res(port in ports.values(), "http.listen port %d is the container's metrics port" % port)
    if help_config:
        known = open(help_config).read()
        unknown = [k for k in props if not k.startswith("kafka.") and not re.search(r"(^|\s)" + re.escape(k) + r"(\s|$)", known, re.M)]
        res(not unknown, "ConfigMap keys known to `interdict serve --help-config` (unknown: %s)" % unknown)
    for sub in ("inhouse-block.csv", "allow.csv"):
        if sub in cm["data"]:
            res("/srv/interdict/inhouse/" + sub in props.get("lists", ""), "ConfigMap list %s is in `lists`" % sub)

svc = (k8s.get("Service") or [{}])[0]
res(bool(get(svc, "spec", "selector")) and get(svc, "spec", "selector", default={}).items() <= labels.items(),
    "Service selects the pods")
res(all(p.get("targetPort") in ports or p.get("targetPort") in ports.values() for p in get(svc, "spec", "ports", default=[{}])),
    "Service targetPort is a container port")
pdb = (k8s.get("PodDisruptionBudget") or [{}])[0]
res(get(pdb, "spec", "maxUnavailable") == 1, "PodDisruptionBudget maxUnavailable 1")
res(get(pdb, "spec", "selector", "matchLabels", default={"x": 1}).items() <= labels.items(), "PDB selects the pods")
hpa = (k8s.get("HorizontalPodAutoscaler") or [{}])[0]
res(get(hpa, "scaleTargetRef", default=None) is None and get(hpa, "spec", "scaleTargetRef", "name") == get(dep, "metadata", "name"),
    "HPA targets the Deployment")
mx, mn = get(hpa, "spec", "maxReplicas", default=0), get(hpa, "spec", "minReplicas", default=1)
res(mn <= get(dep, "spec", "replicas", default=0) <= mx, "HPA minReplicas <= replicas <= maxReplicas")
# maxReplicas must equal the input topic's partitions (compose creates it)
comp = docs.get("deploy/compose.yaml", [{}])[0]
topic_in = props.get("topic.in", "transactions")
m = re.search(re.escape(topic_in) + r":(\d+)", json.dumps(comp))
res(m is not None and int(m.group(1)) == mx,
    "HPA maxReplicas %s == partitions of %s (%s)" % (mx, topic_in, m.group(1) if m else "?"))

# -- compose -------------------------------------------------------------------
svcs = comp.get("services", {})
for s in ("kafka", "interdict", "prometheus"):
    res(s in svcs, "compose service " + s)
res(str(get(svcs, "kafka", "image", default="")).startswith("apache/kafka:3.9."), "compose Kafka is apache/kafka:3.9.x")
b = get(svcs, "interdict", "build", default={})
res(os.path.exists(os.path.join("deploy", b.get("context", "."), b.get("dockerfile", "Dockerfile"))),
    "compose builds deploy/Dockerfile")
for s, d in svcs.items():
    for v in d.get("volumes", []):
        src = v.split(":")[0] if isinstance(v, str) else ""
        if src.startswith("./"):
            res(os.path.exists(os.path.join("deploy", src)), "compose %s mounts existing %s" % (s, src))
for s, d in svcs.items():
    for p in d.get("ports", []):
        res(str(p).startswith("127.0.0.1:"), "compose %s publishes on loopback only (%s)" % (s, p))

# -- metrics: dashboard and alerts vs engine/metrics.c --------------------------
src = open("engine/metrics.c").read() + (open("engine/hist.c").read() if os.path.exists("engine/hist.c") else "")
exported = set(re.findall(r'"(interdict_[a-z0-9_]+)', src))
heads = re.findall(r'head\(out,\s*"([a-z0-9_]+)",\s*"([a-z]+)"', src)
exported |= {"interdict_" + n for n, _ in heads}
gm = re.search(r'render_gauges.*?\{(.*?)\};', src, re.S)
if gm:
    exported |= {"interdict_" + n for n in re.findall(r'\{"([a-z0-9_]+)",', gm.group(1))}
for n, t in heads:
    if t == "histogram":
        exported |= {"interdict_%s_%s" % (n, s) for s in ("bucket", "sum", "count")}
exported = {e for e in exported if not e.endswith("_")}
res("interdict_latency_seconds_bucket" in exported, "engine exports the interdict_latency_seconds histogram")
try:
    dash = json.load(open("deploy/grafana/interdict-dashboard.json"))
    res(True, "Grafana dashboard JSON parses")
except Exception as e:
    dash = {}
    res(False, "Grafana dashboard JSON parses: %s" % e)
exprs = []
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k in ("expr", "query", "definition") and isinstance(v, str): exprs.append(v)
            else: walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(dash)
used = set()
for e in exprs:
    used |= set(re.findall(r"\binterdict_[a-z0-9_]+", e))
missing = sorted(used - exported)
res(len(used) >= 10 and not missing, "dashboard queries %d interdict_* metrics, all exported by engine/metrics.c (missing: %s)" % (len(used), missing))
for want in ("interdict_events_total", "interdict_verdicts_total", "interdict_hits_total", "interdict_dead_letters_total",
             "interdict_consumer_lag_total", "interdict_latency_seconds_bucket", "interdict_lists_age_seconds", "interdict_reloads_total"):
    res(want in used, "dashboard shows " + want)
panels = dash.get("panels", [])
ids = [p.get("id") for p in panels]
res(len(ids) == len(set(ids)) and all(p.get("targets") for p in panels), "dashboard panels have unique ids and queries")
q = [p["title"] for p in panels if any("histogram_quantile(0.99" in t.get("expr", "") for t in p.get("targets", []))]
res(bool(q), "dashboard has a p99 latency panel")
al = docs.get("deploy/prometheus/alerts.yml", [{}])[0]
aexprs = [r.get("expr", "") for g in al.get("groups", []) for r in g.get("rules", [])]
aused = set()
for e in aexprs: aused |= set(re.findall(r"\binterdict_[a-z0-9_]+", e))
res(aexprs and not (aused - exported), "alert rules use exported metrics (missing: %s)" % sorted(aused - exported))
prom = docs.get("deploy/prometheus/prometheus.yml", [{}])[0]
res(any(j.get("job_name") == "interdict" for j in prom.get("scrape_configs", [])), "Prometheus scrapes job interdict")

# -- systemd unit content ------------------------------------------------------------
unit = open("deploy/systemd/interdict.service").read()
for d in ("Type=simple", "User=interdict", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
          "PrivateTmp=yes", "PrivateDevices=yes", "ProtectKernelTunables=yes", "ProtectKernelModules=yes",
          "ProtectKernelLogs=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "MemoryDenyWriteExecute=yes",
          "SystemCallFilter=@system-service", "ReadWritePaths=", "ExecReload=/bin/kill -HUP $MAINPID",
          "Restart=on-failure", "LimitNOFILE="):
    res(re.search(r"^" + re.escape(d), unit, re.M) is not None, "systemd unit has " + d)
m = re.search(r"^TimeoutStopSec=(\d+)", unit, re.M)
res(m is not None and int(m.group(1)) > 10, "systemd TimeoutStopSec > default shutdown.timeout.ms (10 s)")

# -- Dockerfile -------------------------------------------------------------------------
df = open("deploy/Dockerfile").read()
lines = [l.strip() for l in re.sub(r"\\\n", " ", df).splitlines() if l.strip() and not l.strip().startswith("#")]
froms = [l for l in lines if l.upper().startswith("FROM ")]
res(len(froms) >= 2, "Dockerfile is multi-stage (%d FROM)" % len(froms))
res(all("bookworm-slim" in l or "${DEBIAN}" in l for l in froms) and "debian:bookworm-slim" in df, "Dockerfile stages on debian:bookworm-slim")
last = lines[max(i for i, l in enumerate(lines) if l.upper().startswith("FROM ")):]
users = [l.split(None, 1)[1] for l in last if l.upper().startswith("USER ")]
res(bool(users) and users[-1].split(":")[0] not in ("0", "root"), "final stage runs as a non-root USER (%s)" % (users[-1] if users else None))
res(any(l.upper().startswith("HEALTHCHECK") and "/healthz" in l for l in last), "HEALTHCHECK hits /healthz")
res(any(l.upper().startswith("EXPOSE") for l in last), "EXPOSE the metrics port")
ep = [l for l in last if l.upper().startswith("ENTRYPOINT")]
res(bool(ep) and json.loads(ep[-1].split(None, 1)[1])[:4] == ["interdict", "serve", "-c", "/etc/interdict/interdict.properties"],
    "ENTRYPOINT interdict serve -c /etc/interdict/interdict.properties")
res(any("install-deps.sh" in l for l in lines) and any(re.search(r"\bmake\b", l) for l in lines), "build stage uses install-deps.sh and make")
for l in lines:
    if l.upper().startswith("COPY ") and "--from" not in l:
        for s in l.split()[1:-1]:
            res(os.path.exists(s), "Dockerfile COPY source exists: " + s)
apt = " ".join(l for l in last if "apt-get install" in l)
for p in ("librdkafka1", "liburing2", "libxxhash0", "libjemalloc2", "libutf8proc2", "libxml2", "liburcu8", "libmicrohttpd12", "libicu72"):
    res(re.search(r"\b%s\b" % re.escape(p), apt) is not None, "runtime stage installs " + p)
if needed:
    for line in open(needed):
        lib, _, pkg = line.strip().partition(" ")
        if pkg in ("libc6", "libgcc-s1", "libstdc++6"):
            continue
        res(re.search(r"(?<![\w.-])%s(?![\w.-])" % re.escape(pkg), apt) is not None,
            "runtime stage installs %s (bin/interdict needs %s)" % (pkg, lib))
# -- key=value overrides passed to `serve` everywhere are known keys -------------------
if help_config:
    known = open(help_config).read()
    def known_key(k):
        return k.startswith("kafka.") or re.search(r"(^|\s)" + re.escape(k) + r"(\s|$)", known, re.M)
    cmd = [l for l in last if l.upper().startswith("CMD")]
    overrides = {
        "Dockerfile CMD": json.loads(cmd[-1].split(None, 1)[1]) if cmd else [],
        "compose interdict command": get(svcs, "interdict", "command", default=[]),
        "k8s container args": c.get("args", []),
        "systemd ExecStart": (re.search(r"^ExecStart=(.*)$", unit, re.M) or re.match("()", "")).group(1).split()[4:],
    }
    for where, args in overrides.items():
        keys = [a.split("=", 1)[0] for a in args if "=" in a]
        bad_keys = [k for k in keys if not known_key(k)]
        res(keys and not bad_keys, "%s overrides are known keys %s (unknown: %s)" % (where, keys, bad_keys))
# -- docs ------------------------------------------------------------------------------
doc = open("docs/operations-deploy.md").read() if os.path.exists("docs/operations-deploy.md") else ""
for w in ("kafka.security.protocol=SASL_SSL", "kafka.sasl.mechanisms=SCRAM-SHA-512", "kafka.ssl.ca.location", "partitions"):
    res(w in doc, "docs/operations-deploy.md covers " + w)
PY
rc=$?
while IFS=$(printf '\t') read -r st text; do
	if [ "$st" = ok ]; then ok "$text"; else bad "$text"; fi
done <"$TMP/results.txt"
[ "$rc" -eq 0 ] || bad "python checks ran to the end (status $rc)"

# ---- shell scripts ---------------------------------------------------------
for s in deploy/kafka/kafka.sh tests/integration/kafka_interop.sh tests/integration/deploy_validate.sh; do
	if bash -n "$s" 2>"$TMP/sh.err"; then ok "bash -n $s"; else bad "bash -n $s: $(cat "$TMP/sh.err")"; fi
done
if command -v shellcheck >/dev/null; then
	if shellcheck -S warning deploy/kafka/kafka.sh >"$TMP/sc.txt" 2>&1; then ok "shellcheck kafka.sh"
	else bad "shellcheck kafka.sh: $(head -c 400 "$TMP/sc.txt")"; fi
fi
if command -v promtool >/dev/null; then
	# promtool resolves rule_files relative to the config file
	sed 's|/etc/prometheus/alerts.yml|alerts.yml|' deploy/prometheus/prometheus.yml >"$TMP/prometheus.yml"
	cp deploy/prometheus/alerts.yml "$TMP/alerts.yml"
	if promtool check config "$TMP/prometheus.yml" >"$TMP/pt.txt" 2>&1; then ok "promtool check config"
	else bad "promtool check config: $(head -c 400 "$TMP/pt.txt")"; fi
fi

echo "deploy_validate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
