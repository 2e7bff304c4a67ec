#!/usr/bin/env bash
# ruhu build helper. Run from anywhere:
#   ./x.sh setup   install what the app needs (skips what is already there at the right version)
#   ./x.sh serve   setup + dev server on http://127.0.0.1:8080
#   ./x.sh build   setup + release build into dist/ (index.html, app.html, office.html, roster.html; one service worker)
#   ./x.sh test    setup + every test: fmt, clippy, native, wasm in Chromium, release build, e2e, size budget
#   ./x.sh lint    cargo fmt --check and clippy -D warnings (native and wasm32)
#   ./x.sh e2e [SPEC...]  the Playwright suite (or only SPEC files, e.g. specs/roster.spec.mjs)
#                  against an existing dist/ (no build)
#   ./x.sh lighthouse  Lighthouse (mobile) scores of index.html and office.html in an existing dist/,
#                  empty and with records (a measurement, not part of test; median of LH_RUNS=3;
#                  --plain: no gzip; --strict: fail under 95)
#   ./x.sh size    first-load bytes of dist/ (raw and gzip) against the budget (--strict: fail over it)
#   ./x.sh precache  (Trunk post_build hook) merge the other pages' builds in, move inline scripts into files (CSP), write the file list into sw.js
# DIST=folder puts the build somewhere else than dist/ (build, e2e, lighthouse, size).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
WASM_OPT_VERSION="132"
# First-load budget, gzip bytes.
BUDGET_GZIP=$((200 * 1024))

export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# Where the release build goes (and what e2e and size read).
DIST="${DIST:-dist}"
# The other pages' own Trunk builds, merged into the main build's folder by `precache`: the
# township office's (office.html) and the surveyor's full app (app.html); the main build is
# the start page (index.html).
OFFICE_DIST="${CARGO_TARGET_DIR:-$ROOT/target}/office-dist"
# The office's roster page (roster.html, bin ruhu-roster with feature roster: the .xlsx reader).
ROSTER_DIST="${CARGO_TARGET_DIR:-$ROOT/target}/roster-dist"
APP_DIST="${CARGO_TARGET_DIR:-$ROOT/target}/app-dist"
START_DIST="${CARGO_TARGET_DIR:-$ROOT/target}/start-dist"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'x.sh: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# The version of a package in Cargo.lock.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

# Runs a command as root (directly, or through sudo when that works without a password).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif have sudo && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq || return 1
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Installs what the build and the tests need. Each step checks first and does nothing when the
# right version is there, so a warm machine spends seconds on it and a fresh one about 15
# minutes (most of it compiling Trunk). Nothing but the package registries is reached: every
# command runs with TRUNK_OFFLINE=true and TRUNK_SKIP_VERSION_CHECK=true, after
# `cargo fetch --locked` (Trunk.toml also says offline = true).
#
#   what                          check                                  install
#   wasm32 target                 rustup target list --installed         rustup target add
#   Trunk 0.21.14                 trunk --version                        cargo install --version --locked (~10 min;
#                                                                        plain --locked picks 0.22, which needs a newer rustc)
#   wasm-bindgen-cli              wasm-bindgen and wasm-bindgen-test-    cargo install --version X --force, X = Cargo.lock's
#                                 runner --version = Cargo.lock's        wasm-bindgen (pinned = in Cargo.toml; no --locked:
#                                 wasm-bindgen                           its lockfile names a crate this registry lacks; ~3 min)
#   node, npm, python3, chromium, command -v; /usr/bin/chromium,         apt-get install of only the missing ones, as root or
#   chromium-driver               /usr/bin/chromedriver                  with passwordless sudo; else it stops and says so
#   age (Debian 1.1.1)            command -v age and age-keygen          apt-get install (the reference age tool: tests/seal_cli.rs
#                                                                        checks that it opens what ruhu seals, and the reverse)
#   fonts-noto-cjk                fc-list :lang=zh lists a font          apt-get install (a phone in China has a CJK font;
#                                                                        without one, layout checks measure fallback glyphs)
#   wasm-opt 132                  wasm-opt --version (.tools first on    npm install --prefix .tools binaryen@132.0.0
#                                 PATH) says version 132                 (never Debian's binaryen 108, which breaks the page;
#                                                                        Trunk.toml pins wasm_opt = "version_132" too)
#   playwright-core (e2e)         tests/e2e/node_modules' version = the  npm ci --prefix tests/e2e (package-lock.json); no
#                                 one in tests/e2e/package.json          browser download: it drives /usr/bin/chromium
setup() {
  # Rust's wasm target.
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi

  # Trunk, exactly (plain --locked would pick 0.22, which needs a newer rustc).
  if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
    say "cargo install trunk $TRUNK_VERSION (about 10 minutes)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi

  # wasm-bindgen-cli at the version Cargo.lock pins (no --locked: its lockfile names a crate
  # version this registry lacks).
  local wb
  wb="$(locked_version wasm-bindgen)"
  [ -n "$wb" ] || die "wasm-bindgen is not in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb" ] ||
     [ "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" != "wasm-bindgen-test-runner $wb" ]; then
    say "cargo install wasm-bindgen-cli $wb (about 3 minutes)"
    cargo install wasm-bindgen-cli --version "$wb" --force
  fi

  # Debian packages: node/npm (wasm-opt, Playwright), python3 (test server), Chromium, age.
  local missing=()
  have node || missing+=(nodejs)
  have npm || missing+=(npm)
  have python3 || missing+=(python3)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  # The reference age tool, for the interop test of sealed files (tests/seal_cli.rs).
  { have age && have age-keygen; } || missing+=(age)
  if [ "${#missing[@]}" -gt 0 ]; then
    say "apt-get install ${missing[*]}"
    apt_install "${missing[@]}" || die "cannot install ${missing[*]} (need root or sudo): install them by hand"
  fi

  # A CJK font for Chromium: every phone in China has one, and without it the e2e layout
  # checks (overlap, wrapping, fit) measure fallback glyphs that no user sees.
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    say "apt-get install fonts-noto-cjk (a Chinese font for Chromium, about 1 minute)"
    apt_install fonts-noto-cjk || die "cannot install fonts-noto-cjk (need root or sudo): install it by hand"
  fi

  # wasm-opt 132 from npm, project-local (never Debian's binaryen 108).
  if ! wasm-opt --version 2>/dev/null | grep -q "version $WASM_OPT_VERSION\b"; then
    say "npm install binaryen@$BINARYEN_VERSION into .tools/"
    mkdir -p .tools
    [ -f .tools/package.json ] || echo '{ "private": true }' > .tools/package.json
    npm install --prefix .tools --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION"
  fi
  wasm-opt --version | grep -q "version $WASM_OPT_VERSION\b" || die "wasm-opt $WASM_OPT_VERSION is not first on PATH"

  # Test dependencies (Playwright's library only; it drives Debian's Chromium).
  local pinned installed
  pinned="$(node -p "require('./tests/e2e/package.json').devDependencies['playwright-core']")"
  installed="$(node -p "try { require('./tests/e2e/node_modules/playwright-core/package.json').version } catch (e) { '' }")"
  if [ "$pinned" != "$installed" ]; then
    say "npm ci in tests/e2e (playwright-core $pinned)"
    npm ci --prefix tests/e2e --no-audit --no-fund
  fi
}

fetch() {
  cargo fetch --locked
}

# Four Trunk builds, one app: the township office's page (office.html, bin ruhu-office) into
# $OFFICE_DIST, its roster page (roster.html, bin ruhu-roster, feature roster) into
# $ROSTER_DIST and the surveyor's full app (app.html, bin ruhu-app) into $APP_DIST, then the
# start page (index.html, bin ruhu-start) into $DIST; that main build's post_build hook copies
# the other three in before it writes the service worker's precache list, so one worker serves
# every page offline.
build() {
  say "trunk build --release public/office.html (the township office's bundle)"
  RUHU_TRUNK_PART=office trunk build public/office.html --html-output office.html --release --dist "$OFFICE_DIST"
  say "trunk build --release public/roster.html (the office's roster page, with the .xlsx reader)"
  RUHU_TRUNK_PART=roster trunk build public/roster.html --html-output roster.html --release --dist "$ROSTER_DIST"
  say "trunk build --release public/app.html (the surveyor's full app)"
  RUHU_TRUNK_PART=app trunk build public/app.html --html-output app.html --release --dist "$APP_DIST"
  say "trunk build --release (the start page) into $DIST/"
  RUHU_EXTRA_DISTS="$OFFICE_DIST $ROSTER_DIST $APP_DIST" trunk build --release --dist "$DIST"
}

# The dev server rebuilds the surveyor's full app (app.html) on every change; the office's page
# and the start page are built once (debug) at start and merged into every rebuild. Open
# http://127.0.0.1:8080/ (the start page) or /app.html.
serve() {
  say "trunk build public/office.html, public/roster.html and public/index.html (debug, once)"
  RUHU_TRUNK_PART=office trunk build public/office.html --html-output office.html --dist "$OFFICE_DIST"
  RUHU_TRUNK_PART=roster trunk build public/roster.html --html-output roster.html --dist "$ROSTER_DIST"
  RUHU_TRUNK_PART=start trunk build public/index.html --dist "$START_DIST"
  say "trunk serve on http://127.0.0.1:8080"
  RUHU_EXTRA_DISTS="$OFFICE_DIST $ROSTER_DIST $START_DIST" exec trunk serve public/app.html --html-output app.html --address 127.0.0.1 --port 8080
}

# The test files that run in a browser (they start with #![cfg(target_arch = "wasm32")]).
wasm_tests() {
  grep -l '^#!\[cfg(target_arch = "wasm32")\]' tests/*.rs 2>/dev/null | xargs -r -n1 basename | sed 's/\.rs$//'
}

# Formatting and lints, native and wasm (the browser-only test files for wasm: the others are
# native tests).
lint() {
  local t wasm_targets=()
  say "cargo fmt --check"
  cargo fmt --all --check
  say "cargo clippy (native, all targets)"
  cargo clippy --locked --workspace --all-targets -- -D warnings
  for t in $(wasm_tests); do wasm_targets+=(--test "$t"); done
  say "cargo clippy (wasm32: the app, its bins and the browser tests)"
  cargo clippy --locked --workspace --target wasm32-unknown-unknown --lib --bins "${wasm_targets[@]}" -- -D warnings
  # Each bundle with the features its page builds it with (public/*.html data-cargo-features).
  say "cargo clippy (wasm32: the roster page, features roster,seal,vault)"
  cargo clippy --locked --target wasm32-unknown-unknown --features roster,seal,vault --bin ruhu-roster -- -D warnings
  say "cargo clippy (wasm32: the app and the office, features seal,vault)"
  cargo clippy --locked --target wasm32-unknown-unknown --features seal,vault --bin ruhu-app --bin ruhu-office -- -D warnings
  say "cargo clippy (wasm32: the app lock's browser tests, feature vault)"
  cargo clippy --locked --target wasm32-unknown-unknown --features vault --lib --test vault_wasm -- -D warnings
  say "cargo doc (native; rustdoc warnings are errors)"
  RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --workspace
}

test_native() {
  say "cargo test --workspace (native)"
  cargo test --locked --workspace
}

test_wasm() {
  local t
  for t in $(wasm_tests); do
    say "cargo test --release --target wasm32-unknown-unknown --test $t (Chromium)"
    cargo test --locked --release --target wasm32-unknown-unknown --test "$t"
  done
  # Sealed files in the browser (age through getrandom's js backend): the app's feature `seal`,
  # which only app.html and office.html turn on, so its test file is cfg'd on the feature too.
  say "cargo test --release --target wasm32-unknown-unknown --features seal --test seal_wasm (Chromium)"
  cargo test --locked --release --target wasm32-unknown-unknown --features seal --test seal_wasm
  # Encryption at rest (the app lock): feature `vault`, which only the bundles that read
  # records turn on, so its test file is cfg'd on the feature too.
  say "cargo test --release --target wasm32-unknown-unknown --features vault --test vault_wasm (Chromium)"
  cargo test --locked --release --target wasm32-unknown-unknown --features vault --test vault_wasm
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The Playwright suite against a copy of dist/ served on 127.0.0.1 (tests may change the copy:
# the update test rewrites sw.js there): `python3 -m http.server` on a free port (exec, so
# that a pyenv shim does not hide the server's PID), then `npm --prefix tests/e2e test` with
# BASE_URL and E2E_ROOT (the served folder); the server and the folder go on every exit. A
# new spec is picked up by being in tests/e2e/specs/ (*.test.mjs, or *.spec.mjs).
E2E_SERVER=""
E2E_DIR=""
e2e_cleanup() {
  if [ -n "$E2E_SERVER" ]; then
    kill "$E2E_SERVER" 2>/dev/null || true
    wait "$E2E_SERVER" 2>/dev/null || true
    E2E_SERVER=""
  fi
  if [ -n "$E2E_DIR" ]; then
    rm -rf "$E2E_DIR" "$E2E_DIR.log"
    E2E_DIR=""
  fi
}
e2e() {
  [ -f "$DIST/index.html" ] || die "no $DIST/: run ./x.sh build first"
  local port i
  E2E_DIR="$(mktemp -d)"
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
  cp -R "$DIST/." "$E2E_DIR/"
  port="$(free_port)"
  # exec: with pyenv, python3 is a shim; its PID must be the server's own.
  ( exec python3 -m http.server "$port" --bind 127.0.0.1 --directory "$E2E_DIR" >"$E2E_DIR.log" 2>&1 ) &
  E2E_SERVER=$!
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    [ "$i" = 100 ] && die "the test server did not start: $(cat "$E2E_DIR.log")"
    sleep 0.1
  done
  say "Playwright e2e against http://127.0.0.1:$port/"
  rm -f tests/e2e/test-results/faults-summary.jsonl
  if [ "$#" -gt 0 ]; then
    # Only the named specs (paths relative to tests/e2e/, or to the checkout).
    local specs=() s
    for s in "$@"; do specs+=("${s#tests/e2e/}"); done
    (cd tests/e2e && BASE_URL="http://127.0.0.1:$port/" E2E_ROOT="$E2E_DIR" \
      node --test --test-concurrency=1 "${specs[@]}")
  else
    BASE_URL="http://127.0.0.1:$port/" E2E_ROOT="$E2E_DIR" npm --prefix tests/e2e test
  fi
  # The fault-injection suite's total (tests/e2e/lib/faults.mjs); fails if a value was lost.
  node tests/e2e/lib/faults.mjs
  e2e_cleanup
}

# Lighthouse 12 (mobile form factor, simulated throttling) on the surveyor's and the office's
# page of an existing dist/, served on 127.0.0.1 by python3's http.server with gzip as an
# ordinary static host sends it (--plain: exactly `python3 -m http.server`, no compression).
# Pages: home, 汇总, and with tests/fixtures/batch-2023q1.json imported home, a draft's form and
# 汇总; each the median of LH_RUNS (3) runs. Prints one line of scores and metrics per page and
# the audits that cost points under 95;
# reports in $CARGO_TARGET_DIR/lighthouse/. Installs lighthouse (tests/e2e/lighthouse/
# package-lock.json) when it is missing or at another version. Not part of `test`.
LH_DIR=tests/e2e/lighthouse
LH_SERVER=""
lighthouse_cleanup() {
  if [ -n "$LH_SERVER" ]; then
    kill "$LH_SERVER" 2>/dev/null || true
    wait "$LH_SERVER" 2>/dev/null || true
    LH_SERVER=""
  fi
}
lighthouse() {
  [ -f "$DIST/index.html" ] || die "no $DIST/: run ./x.sh build first"
  have node && have npm && have python3 && [ -x /usr/bin/chromium ] ||
    die "lighthouse needs node, npm, python3 and /usr/bin/chromium: run ./x.sh setup"
  local pinned installed port i plain="" strict="" arg log
  for arg in "$@"; do
    case "$arg" in
      --plain) plain=--plain ;;
      --strict) strict=--strict ;;
      *) die "lighthouse: unknown option $arg" ;;
    esac
  done
  pinned="$(node -p "require('./$LH_DIR/package.json').devDependencies.lighthouse")"
  installed="$(node -p "try { require('./$LH_DIR/node_modules/lighthouse/package.json').version } catch (e) { '' }")"
  if [ "$pinned" != "$installed" ]; then
    say "npm ci in $LH_DIR (lighthouse $pinned)"
    npm ci --prefix "$LH_DIR" --no-audit --no-fund
  fi
  trap lighthouse_cleanup EXIT
  trap 'exit 130' INT TERM
  port="$(free_port)"
  log="${CARGO_TARGET_DIR:-$ROOT/target}/lighthouse/server.log"
  mkdir -p "$(dirname "$log")"
  # exec: with pyenv, python3 is a shim; its PID must be the server's own.
  ( exec python3 "$LH_DIR/serve.py" "$port" "$DIST" $plain >"$log" 2>&1 ) &
  LH_SERVER=$!
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    [ "$i" = 100 ] && die "the server did not start: $(cat "$log")"
    sleep 0.1
  done
  say "Lighthouse (mobile) against http://127.0.0.1:$port/ (${plain:-gzip})"
  BASE_URL="http://127.0.0.1:$port/" CHROME_PATH=/usr/bin/chromium \
    LH_OUT="${CARGO_TARGET_DIR:-$ROOT/target}/lighthouse" node "$LH_DIR/run.mjs" $strict
  lighthouse_cleanup
}

# Raw and gzip -9 bytes of files (paths relative to $DIST), one line each, then a total line;
# sets SUM_RAW and SUM_GZ.
sum_files() {
  local label="$1" f raw gz
  shift
  SUM_RAW=0; SUM_GZ=0
  for f in "$@"; do
    raw=$(wc -c <"$DIST/$f")
    gz=$(gzip -9 -c "$DIST/$f" | wc -c)
    SUM_RAW=$((SUM_RAW + raw)); SUM_GZ=$((SUM_GZ + gz))
    printf '  %-46s %10d %10d\n' "$f" "$raw" "$gz"
  done
  printf '%-48s %10d %10d   (%.1f KB gzip)\n' "$label" "$SUM_RAW" "$SUM_GZ" "$(awk -v g="$SUM_GZ" 'BEGIN { print g / 1024 }')"
}

# What a first visit to one page fetches before the page runs: the page, every file it names
# (CSS, the JS glue and its wasm, sw-register.js, the favicon, the manifest), the manifest's
# icons, and sw.js. (The worker then precaches the rest of the build in the background.)
page_files() {
  local page="$1"
  {
    echo "$page"
    grep -oE '[A-Za-z0-9_./-]+\.(css|js|wasm|webmanifest|png|svg)' "$DIST/$page" | sed 's|^\./||; s|^/||'
    grep -oE '"src": *"[^"]+"' "$DIST/manifest.webmanifest" | sed 's/.*"src": *"//; s/"$//'
    echo sw.js
  } | awk '!seen[$0]++' | while IFS= read -r f; do [ -f "$DIST/$f" ] && echo "$f"; done
}

# First-load bytes of the build: the surveyor's page (the budget), the office's page, and
# everything the service worker precaches (the whole build).
size() {
  [ -f "$DIST/index.html" ] || die "no $DIST/: run ./x.sh build first"
  local files surveyor_gz
  printf '%-48s %10s %10s\n' "file" "raw" "gzip"
  mapfile -t files < <(page_files index.html)
  sum_files "START PAGE first load (index.html, the budget)" "${files[@]}"
  surveyor_gz=$SUM_GZ
  if [ -f "$DIST/app.html" ]; then
    mapfile -t files < <(page_files app.html)
    sum_files "FULL APP opened directly (app.html; else precached in the background)" "${files[@]}"
  fi
  if [ -f "$DIST/office.html" ]; then
    mapfile -t files < <(page_files office.html)
    sum_files "OFFICE first load (office.html)" "${files[@]}"
  else
    echo "(no office.html in $DIST/)"
  fi
  if [ -f "$DIST/roster.html" ]; then
    mapfile -t files < <(page_files roster.html)
    sum_files "ROSTER PAGE first load (roster.html, with the .xlsx reader)" "${files[@]}"
  fi
  mapfile -t files < <(cd "$DIST" && find . -type f ! -name '*.map' | sed 's|^\./||' | LC_ALL=C sort)
  sum_files "PRECACHE: every file of the build (first visit, in the background)" "${files[@]}" >/tmp/ruhu-size.$$
  tail -n 1 /tmp/ruhu-size.$$; rm -f /tmp/ruhu-size.$$
  awk -v g="$surveyor_gz" -v b="$BUDGET_GZIP" 'BEGIN { printf "first load (index.html): %.1f KB gzip (budget %d KB)\n", g / 1024, b / 1024 }'
  if [ "$surveyor_gz" -gt "$BUDGET_GZIP" ]; then
    printf 'OVER BUDGET: %d > %d bytes gzip\n' "$surveyor_gz" "$BUDGET_GZIP"
    [ "${1:-}" != --strict ] || exit 1
  else
    printf 'within budget\n'
  fi
}

# Every page's Content-Security-Policy (a <meta> in public/*.html) says `script-src 'self'
# 'wasm-unsafe-eval'`: no inline script runs. Trunk 0.21 writes its wasm loader as an inline
# `<script type="module">` (and `trunk serve` its live-reload script inline too); it offers a
# `create_nonce` placeholder (one fixed nonce baked into a static file protects nothing:
# trunk-rs/trunk#853) and `pattern_script` (a loader of our own, still inline unless we write
# the file), but no external loader (trunk-rs/trunk#288, open). So here every inline `<script>`
# of every page of the merged build moves, as it is, into its own file named by its content's
# hash (`inline-<sha256:16>.js`, so a new build never meets an old copy in a cache) and the
# page names it with `src`; the service worker precaches it like any file. The pages' HTML
# comments go too (bytes of the start page's budget). Then no page may
# keep an inline script, a `style="…"` attribute or an `on…="…"` handler (the build fails).
inline_scripts() {
  python3 - "$1" <<'PY'
import hashlib, pathlib, re, sys

folder = pathlib.Path(sys.argv[1])
# A <script> whose only attributes are type="module" or nonce (Trunk's): it has no src.
INLINE = re.compile(r'<script((?:\s+(?:type="module"|nonce="[^"]*"))*)\s*>(.*?)</script>', re.S)
for page in sorted(folder.glob('*.html')):
    html = page.read_text(encoding='utf-8')

    def external(m):
        body = m.group(2)
        # `trunk serve`'s live reload: the server fills these in only in HTML responses, so
        # its file gets what the server would put there (this host; the serve base is /).
        body = body.replace("'{{__TRUNK_ADDRESS__}}'", 'window.location.host').replace('{{__TRUNK_WS_BASE__}}', '/')
        name = 'inline-' + hashlib.sha256(body.encode()).hexdigest()[:16] + '.js'
        (folder / name).write_text(body, encoding='utf-8')
        kind = ' type="module"' if 'type="module"' in m.group(1) else ''
        return f'<script{kind} src="./{name}"></script>'

    html = INLINE.sub(external, html)
    # The built pages ship without their comments (the sources in public/ keep them).
    html = re.sub(r'[ \t]*<!--.*?-->[ \t]*\n?', '', html, flags=re.S)
    page.write_text(html, encoding='utf-8')
    markup = html
    if 'http-equiv="Content-Security-Policy"' not in markup:
        sys.exit(f'x.sh precache: {page.name} has no Content-Security-Policy <meta>')
    for what, pattern in (('an inline <script>', r'<script(?![^>]*\ssrc=)[^>]*>'),
                          ('a style attribute', r'<[^>]+\sstyle\s*='),
                          ('an inline event handler', r'<[^>]+\son[a-z]+\s*=')):
        found = re.search(pattern, markup)
        if found:
            sys.exit(f'x.sh precache: {page.name} has {what}, which its Content-Security-Policy blocks: {found.group(0)[:80]}')
PY
}

# Trunk post_build hook: in the main build, copy the other pages' builds in (their own files,
# not the shared ones), move every page's inline scripts into files (inline_scripts), then
# write the version, the file list and the profile into sw.js.
precache() {
  local dir="${TRUNK_STAGING_DIR:?precache runs as a Trunk hook}"
  local sw="$dir/sw.js" files version list dev extra
  # The other pages' own builds get no service worker: the main build writes it.
  [ -z "${RUHU_TRUNK_PART:-}" ] || return 0
  for extra in ${RUHU_EXTRA_DISTS:-}; do
    [ -n "$(find "$extra" -maxdepth 1 -name '*.html' 2>/dev/null)" ] || die "no page built in $extra"
    (cd "$extra" && find . -type f ! -name '*.map' | while IFS= read -r f; do
      [ -e "$dir/$f" ] || { mkdir -p "$dir/$(dirname "$f")"; cp "$f" "$dir/$f"; }
    done)
  done
  [ -f "$sw" ] || die "no sw.js in $dir"
  inline_scripts "$dir"
  # The scripts every page loads (and wechat.js) ship without their comments (the sources keep them):
  # whole-line `//` and one-line `/** … */` comments and blank lines go (1.7 KB gzip of the
  # start page's budget). Nothing else is touched: neither file has a template literal.
  for extra in "$sw" "$dir/sw-register.js" "$dir/wechat.js"; do
    [ -f "$extra" ] || continue
    sed -i -E -e '/^[[:space:]]*\/\//d' -e '/^[[:space:]]*\/\*.*\*\/[[:space:]]*$/d' -e '/^[[:space:]]*$/d' "$extra"
  done
  files="$(cd "$dir" && find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./||' | LC_ALL=C sort)"
  version="$(cd "$dir" && while IFS= read -r f; do sha256sum "$f"; done <<<"$files" | sha256sum | cut -c1-16)"
  list="$(while IFS= read -r f; do printf '"%s",' "$f"; done <<<"$files")"
  dev=false
  [ "${TRUNK_PROFILE:-release}" = release ] || dev=true
  sed -i \
    -e "s|^const VERSION = .*// @version\$|const VERSION = '$version'; // @version|" \
    -e "s|^const PRECACHE = .*// @precache\$|const PRECACHE = [${list%,}]; // @precache|" \
    -e "s|^const DEV = .*// @dev\$|const DEV = $dev; // @dev|" \
    "$sw"
  grep -q "^const VERSION = '$version'" "$sw" || die "sw.js has no @version line"
}

cmd="${1:-help}"
case "$cmd" in
  setup) setup ;;
  serve) setup; fetch; serve ;;
  build) setup; fetch; build ;;
  # Everything, in order: formatting and clippy, the native tests of the workspace, every
  # browser test file (tests/*.rs starting with #![cfg(target_arch = "wasm32")]) in headless
  # Chromium with --release (the 5,000-record timing promise is about optimised code), the
  # release build, the e2e suite, the size figures (OVER BUDGET is printed, not failed).
  test)
    setup
    fetch
    lint
    test_native
    test_wasm
    build
    e2e
    size
    ;;
  lint) lint ;;
  e2e) shift; e2e "$@" ;;
  lighthouse) shift; lighthouse "$@" ;;
  size) shift; size "$@" ;;
  precache) precache ;;
  *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; [ "$cmd" = help ] || exit 2 ;;
esac
