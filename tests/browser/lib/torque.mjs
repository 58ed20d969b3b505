// Starts a Torque of its own for the browser tests: builds the binary, creates
// a fresh Postgres database, migrates it, serves on 127.0.0.1:8080 (Kratos's UI
// URLs point there) and launches Debian's Chromium through playwright-core.
// stop() kills the server, drops the database and closes the browser.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const screenshotDir = path.join(repoRoot, 'tests/browser/screenshots');
export const BASE = 'http://127.0.0.1:8080';

const env = (k, d) => process.env[k] || d;
const adminURL = env('TORQUE_DATABASE_ADMIN_URL', 'postgres://torque:torque@127.0.0.1:55432/torque?sslmode=disable');
const appURL = env('TORQUE_DATABASE_URL', 'postgres://torque_app:torque_app@127.0.0.1:55432/torque?sslmode=disable');

function withDatabase(u, name) {
  const url = new URL(u);
  url.pathname = '/' + name;
  return url.toString();
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function psql(sql) {
  execFileSync('psql', [adminURL, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitReady(proc, logs) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error('torque exited early:\n' + logs.join('').slice(-3000));
    try {
      const r = await fetch(BASE + '/healthz');
      if (r.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('torque did not become healthy in 60s:\n' + logs.join('').slice(-3000));
}

/** start() returns { browser, stop, logs, dbName }. */
export async function start() {
  if (!(await portFree(8080))) {
    throw new Error('127.0.0.1:8080 is taken: the browser tests must serve Torque there (Kratos UI URLs). ' +
      'Stop the other server (e.g. a `make run`) and retry.');
  }
  mkdirSync(screenshotDir, { recursive: true });
  const bin = path.join(repoRoot, '.local/bin/torque-browser-test');
  execFileSync('go', ['build', '-o', bin, './cmd/torque'], { cwd: repoRoot, stdio: 'inherit' });
  const dbName = 'torque_browser_' + randomBytes(6).toString('hex');
  psql(`CREATE DATABASE "${dbName}"`);
  const torqueEnv = {
    ...process.env,
    TORQUE_HTTP_ADDR: '127.0.0.1:8080',
    TORQUE_PUBLIC_URL: BASE,
    TORQUE_DATABASE_URL: withDatabase(appURL, dbName),
    TORQUE_DATABASE_ADMIN_URL: withDatabase(adminURL, dbName),
    TORQUE_KRATOS_PUBLIC_URL: env('TORQUE_KRATOS_PUBLIC_URL', 'http://127.0.0.1:4433'),
    TORQUE_KRATOS_ADMIN_URL: env('TORQUE_KRATOS_ADMIN_URL', 'http://127.0.0.1:4434'),
    TORQUE_SMTP_ADDR: env('TORQUE_SMTP_ADDR', '127.0.0.1:1025'),
    TORQUE_STRIPE_API_URL: env('TORQUE_STRIPE_API_URL', 'http://127.0.0.1:12111'),
    TORQUE_STRIPE_SECRET_KEY: env('TORQUE_STRIPE_SECRET_KEY', 'sk_test_123'),
    TORQUE_STRIPE_WEBHOOK_SECRET: env('TORQUE_STRIPE_WEBHOOK_SECRET', 'whsec_local_dev_secret'),
    TORQUE_MASTER_KEYS: env('TORQUE_MASTER_KEYS', 'k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='),
    // No CEP service is reachable here: point at a closed port so the form
    // degrades to manual entry at once.
    TORQUE_CEP_URL: 'http://127.0.0.1:9',
  };
  let proc;
  const dropDB = () => {
    try { psql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`); } catch { /* best effort */ }
  };
  const logs = [];
  try {
    execFileSync(bin, ['migrate'], { env: torqueEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    proc = spawn(bin, ['serve'], { env: torqueEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.on('data', (d) => logs.push(d.toString()));
    proc.stderr.on('data', (d) => logs.push(d.toString()));
    await waitReady(proc, logs);
  } catch (e) {
    if (proc && proc.exitCode === null) proc.kill('SIGTERM');
    dropDB();
    throw e;
  }
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  } catch (e) {
    proc.kill('SIGTERM');
    dropDB();
    throw e;
  }
  const stop = async () => {
    await browser.close().catch(() => {});
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
    dropDB();
  };
  return { browser, stop, logs, dbName, env: torqueEnv };
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
