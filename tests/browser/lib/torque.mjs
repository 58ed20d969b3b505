// Starts a Torque and an Ory Kratos of their own for the browser tests, on
// free ports, so `make test` runs beside a `make run` (which holds
// 127.0.0.1:8080 and the stack's Kratos, whose UI URLs point there): builds the
// binary, creates fresh Postgres databases for Torque and for Kratos, migrates
// both, starts Kratos with deploy/ory/kratos.yml rewritten for the new ports,
// serves Torque and launches Debian's Chromium through playwright-core.
// stop() closes the browser, stops both servers and drops both databases.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const screenshotDir = path.join(repoRoot, 'tests/browser/screenshots');
const localDir = process.env.TORQUE_LOCAL_DIR || path.join(repoRoot, '.local');

/** freePorts(n) asks the kernel for n distinct unused ports on 127.0.0.1. */
async function freePorts(n) {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  })));
  const ports = servers.map((srv) => srv.address().port);
  await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
  return ports;
}

const [torquePort, kratosPublicPort, kratosAdminPort] = await freePorts(3);
/** BASE is the test Torque's URL (a free port: never the 8080 of `make run`). */
export const BASE = `http://127.0.0.1:${torquePort}`;
const KRATOS_PUBLIC = `http://127.0.0.1:${kratosPublicPort}`;
const KRATOS_ADMIN = `http://127.0.0.1:${kratosAdminPort}`;

const env = (k, d) => process.env[k] || d;
const adminURL = env('TORQUE_DATABASE_ADMIN_URL', 'postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable');
const appURL = env('TORQUE_DATABASE_URL', 'postgres://torque_app:torque_app@127.0.0.1:55432/torque?sslmode=disable');

function withDatabase(u, name) {
  const url = new URL(u);
  url.pathname = '/' + name;
  return url.toString();
}

function psql(sql) {
  execFileSync('psql', [adminURL, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** kratosConfig writes deploy/ory/kratos.yml with this run's ports into dir. */
function kratosConfig(dir) {
  const original = readFileSync(path.join(repoRoot, 'deploy/ory/kratos.yml'), 'utf8');
  const yml = original
    .replaceAll('http://127.0.0.1:8080', BASE)
    .replace(/\b4433\b/g, String(kratosPublicPort))
    .replace(/\b4434\b/g, String(kratosAdminPort));
  // Fail loudly if kratos.yml stops naming the ports this rewrite expects.
  for (const want of [`ui_url: ${BASE}/login`, `base_url: ${KRATOS_PUBLIC}/`, `port: ${kratosAdminPort}`]) {
    if (!yml.includes(want)) throw new Error(`rewritten kratos.yml lacks "${want}": update tests/browser/lib/torque.mjs`);
  }
  const file = path.join(dir, 'kratos.yml');
  writeFileSync(file, yml);
  return file;
}

/**
 * kratosBin: the Kratos that deploy/local/up.sh builds into .local/bin, else
 * the binary of the stack's running Kratos (a checkout testing against another
 * checkout's stack); TORQUE_KRATOS_BIN overrides both.
 */
function kratosBin() {
  if (process.env.TORQUE_KRATOS_BIN) return process.env.TORQUE_KRATOS_BIN;
  const built = path.join(localDir, 'bin/kratos');
  if (existsSync(built)) return built;
  try {
    const port = new URL(env('TORQUE_KRATOS_ADMIN_URL', 'http://127.0.0.1:4434')).port;
    const ss = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
    const pid = (ss.match(/pid=(\d+)/) || [])[1];
    if (pid) return realpathSync(`/proc/${pid}/exe`);
  } catch { /* fall through to the error */ }
  throw new Error(`no Kratos binary at ${built} nor a running one: run \`make stack\` or set TORQUE_KRATOS_BIN`);
}

/** waitReady polls url until it answers 2xx, failing early if proc exits. */
async function waitReady(what, proc, url, logs) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited early:\n` + logs.join('').slice(-3000));
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready in 60s:\n` + logs.join('').slice(-3000));
}

/** serve spawns a long-running child, collecting its output into logs. */
function serve(bin, args, opts, logs) {
  const proc = spawn(bin, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => logs.push(d.toString()));
  proc.stderr.on('data', (d) => logs.push(d.toString()));
  return proc;
}

/** terminate sends SIGTERM, then SIGKILL after 10 s. */
async function terminate(proc) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

/**
 * start() returns { browser, stop, logs, kratosLogs, dbName, env }; extraEnv
 * adds to (or overrides) Torque's environment, e.g. a short
 * TORQUE_PRIVILEGED_SESSION_MAX_AGE.
 */
export async function start({ extraEnv = {} } = {}) {
  mkdirSync(screenshotDir, { recursive: true });
  const id = randomBytes(6).toString('hex');
  const dbName = 'torque_browser_' + id;
  const kratosDB = 'kratos_browser_' + id;
  // Undone in reverse order by cleanup(), whatever step failed.
  const undo = [];
  const cleanup = async () => {
    for (const step of undo.splice(0).reverse()) {
      try { await step(); } catch { /* best effort */ }
    }
  };
  const logs = [];
  const kratosLogs = [];
  let browser;
  let torqueEnv;
  try {
    const kbin = kratosBin();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'torque-browser-'));
    undo.push(() => rmSync(tmp, { recursive: true, force: true }));
    // Built into this run's own directory: checkouts sharing TORQUE_LOCAL_DIR
    // (worktrees testing against one stack) must not run each other's binary.
    const bin = path.join(tmp, 'torque-browser-test');
    execFileSync('go', ['build', '-o', bin, './cmd/torque'], { cwd: repoRoot, stdio: 'inherit' });

    // Kratos: a database and a config of its own (UI URLs on BASE).
    const kcfg = kratosConfig(tmp);
    psql(`CREATE DATABASE "${kratosDB}"`);
    undo.push(() => psql(`DROP DATABASE IF EXISTS "${kratosDB}" WITH (FORCE)`));
    const kratosEnv = { ...process.env, DSN: withDatabase(adminURL, kratosDB) };
    // Relative file:// URLs in kratos.yml (schemas, courier template) resolve
    // from the repository root.
    execFileSync(kbin, ['migrate', 'sql', '-e', '--yes', '-c', kcfg],
      { cwd: repoRoot, env: kratosEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    const kratos = serve(kbin, ['serve', '-c', kcfg, '--dev', '--watch-courier'], { cwd: repoRoot, env: kratosEnv }, kratosLogs);
    undo.push(() => terminate(kratos));

    // Analytics: a ClickHouse database of its own (created by `torque
    // migrate`), so its checkpoint never mixes with another run's topic.
    const chAddr = env('TORQUE_CLICKHOUSE_ADDR', '127.0.0.1:19000');
    undo.push(() => execFileSync('clickhouse-client', ['--host', chAddr.split(':')[0], '--port', chAddr.split(':')[1],
      '-q', `DROP DATABASE IF EXISTS ${dbName}`], { stdio: ['ignore', 'ignore', 'inherit'] }));

    // Torque: a database of its own, pointed at that Kratos.
    psql(`CREATE DATABASE "${dbName}"`);
    undo.push(() => psql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    torqueEnv = {
      ...process.env,
      // The harness uses the repository's development secrets: only the local
      // environment accepts them.
      TORQUE_ENV: 'local',
      TORQUE_HTTP_ADDR: `127.0.0.1:${torquePort}`,
      TORQUE_PUBLIC_URL: BASE,
      TORQUE_DATABASE_URL: withDatabase(appURL, dbName),
      TORQUE_DATABASE_ADMIN_URL: withDatabase(adminURL, dbName),
      TORQUE_KRATOS_PUBLIC_URL: KRATOS_PUBLIC,
      TORQUE_KRATOS_ADMIN_URL: KRATOS_ADMIN,
      TORQUE_SMTP_ADDR: env('TORQUE_SMTP_ADDR', '127.0.0.1:1025'),
      TORQUE_STRIPE_API_URL: env('TORQUE_STRIPE_API_URL', 'http://127.0.0.1:12111'),
      TORQUE_STRIPE_SECRET_KEY: env('TORQUE_STRIPE_SECRET_KEY', 'sk_test_123'),
      TORQUE_STRIPE_WEBHOOK_SECRET: env('TORQUE_STRIPE_WEBHOOK_SECRET', 'whsec_local_dev_secret'),
      TORQUE_MASTER_KEYS: env('TORQUE_MASTER_KEYS', 'k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='),
      // No CEP service is reachable here: point at a closed port so the form
      // degrades to manual entry at once.
      TORQUE_CEP_URL: 'http://127.0.0.1:9',
      TORQUE_CLICKHOUSE_ADDR: chAddr,
      TORQUE_CLICKHOUSE_DATABASE: dbName,
      ...extraEnv,
    };
    execFileSync(bin, ['migrate'], { env: torqueEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitReady('kratos', kratos, KRATOS_ADMIN + '/admin/health/ready', kratosLogs);
    const proc = serve(bin, ['serve'], { env: torqueEnv }, logs);
    undo.push(() => terminate(proc));
    await waitReady('torque', proc, BASE + '/healthz', logs);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    undo.push(() => browser.close());
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { browser, stop: cleanup, logs, kratosLogs, dbName, env: torqueEnv, kratosAdmin: KRATOS_ADMIN };
}

/** A page in pt-BR with console errors collected (CSP violations show there). */
export async function newPage(browser, { locale = 'pt-BR', viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ locale, viewport, extraHTTPHeaders: { 'Accept-Language': locale } });
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
  return { context, page };
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(screenshotDir, name + '.png'), fullPage: true });
}

export async function login(page, email, password) {
  await page.goto(BASE + '/login');
  await page.waitForURL(/\/login\?flow=/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(/\/app\//);
}

export const uniq = () => randomBytes(3).toString('hex');
