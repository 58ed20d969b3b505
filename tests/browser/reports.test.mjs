// The reports dashboards in headless Chromium: a workshop with a few orders
// (made through the API), its owner opens "Relatórios", sees the charts drawn
// from the vendored Chart.js (no CDN), pt-BR figures, drills down into a
// service, changes the period and downloads CSV; a franchise manager compares
// the franchise's shops, drills into one, and sees no personal data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, newPage, shot, login, uniq, BASE } from './lib/torque.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const PASSWORD = 'senha-forte-2026';
const id = uniq();

async function api(method, path, token, body, headers = {}) {
  const h = { ...headers };
  if (body) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = 'Bearer ' + token;
  const r = await fetch(BASE + path, { method, headers: h, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text, headers: r.headers };
}

async function must(p, status, what) {
  const r = await p;
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

function cpf() {
  const d = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
  if (new Set(d).size === 1) d[0] = (d[0] + 1) % 10;
  for (const n of [9, 10]) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[i] * (n + 1 - i);
    const r = (s * 10) % 11;
    d.push(r === 10 ? 0 : r);
  }
  return d.join('');
}
const L = () => String.fromCharCode(65 + Math.floor(Math.random() * 26));
const N = () => String(Math.floor(Math.random() * 10));
const plate = () => L() + L() + L() + N() + L() + N() + N();

async function signup(slug, email, plan) {
  await must(api('POST', '/api/v1/signup', '', {
    workshop_name: `Auto Center ${slug}`, slug, plan, owner: { name: 'Dona ' + slug, email, password: PASSWORD },
  }), 201, 'signup ' + slug);
  return (await must(api('POST', '/api/v1/auth/login', '', { email, password: PASSWORD }), 200, 'login')).session_token;
}

const shopSlug = `relatorios-${id}`;
const shopEmail = `dona-rel-${id}@example.com`;
const names = ['Ana Relatório', 'Bruno Relatório', 'Carla Relatório'];

test('reports: a workshop owner reads the dashboards; a franchise manager compares shops', async () => {
  // Data through the API: 3 customers, 4 orders.
  const tok = await signup(shopSlug, shopEmail, 'pro');
  const ws = (p) => `/api/v1/workshops/${shopSlug}${p}`;
  const ids = [];
  for (const name of names) {
    const c = await must(api('POST', ws('/customers'), tok, { name, document: cpf() }), 201, 'customer');
    const v = await must(api('POST', ws(`/customers/${c.id}/vehicles`), tok,
      { plate: plate(), make: 'Volkswagen', model: 'Gol', year: 2018, mileage_km: 42000 }), 201, 'vehicle');
    ids.push([c.id, v.id]);
  }
  const order = (i, items) => must(api('POST', ws('/service-orders'), tok,
    { customer_id: ids[i][0], vehicle_id: ids[i][1], mileage_km: 43000 + i, items }), 201, 'order');
  const item = (service, cents) => ({ service, description: service, quantity: 1, unit_price_cents: cents });
  await order(0, [item('oil_change', 18000), item('oil_filter', 4500)]);
  await order(1, [item('brake_pads', 35000)]);
  await order(2, [item('oil_change', 18000)]);
  await order(0, [item('alignment_balancing', 12000)]);
  // Analytics trails the records by the projection's delay.
  const deadline = Date.now() + 30000;
  for (;;) {
    const r = await api('GET', ws('/reports/top-services'), tok);
    const oil = (r.json?.items || []).find((x) => x.service === 'oil_change');
    if (oil && oil.orders === 2) break;
    assert.ok(Date.now() < deadline, 'orders never reached the reports: ' + r.text.slice(0, 300));
    await new Promise((res) => setTimeout(res, 200));
  }

  const { context, page } = await newPage(sys.browser);
  const missing = [];
  page.on('response', (r) => { if (r.status() === 404) missing.push(r.url()); });
  try {
    await login(page, shopEmail, PASSWORD);
    await page.getByRole('link', { name: 'Relatórios' }).click();
    await page.waitForURL(/\/reports$/);
    assert.equal(await page.locator('h1').textContent(), 'Relatórios');
    await page.locator('#report-charts[data-ready="true"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('canvas[data-chart="services"]').getAttribute('data-drawn'), '4');
    assert.ok(await page.locator('canvas[data-chart="visits"]').getAttribute('data-drawn'));
    const oilRow = page.locator('#top-services tr', { hasText: 'Troca de óleo' });
    assert.match(await oilRow.textContent(), /R\$ 360,00/);
    assert.match(await oilRow.textContent(), /50,0%/);
    assert.equal(await page.locator('[data-kpi="customers"]').textContent(), '3');
    assert.match(await page.locator('main').textContent(), /Nenhuma avaliação recebida no período/);
    await shot(page, 'reports');

    // Drill-down into a service.
    await oilRow.getByRole('link', { name: 'Detalhar' }).click();
    await page.waitForURL(/service=oil_change/);
    assert.equal(await page.locator('#detail-h').textContent(), 'Detalhe: Troca de óleo');
    await page.locator('canvas[data-chart="service"][data-drawn]').waitFor({ state: 'attached' });
    await shot(page, 'reports-drilldown');

    // CSV of the same period.
    const href = await page.locator('a.csv').first().getAttribute('href');
    const csv = await page.request.get(BASE + href);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    assert.match(await csv.text(), /^service,label,orders,revenue_cents,share\n/);

    // Another period: nothing then.
    await page.getByLabel('De', { exact: true }).fill('2020-01-01');
    await page.getByLabel('Até', { exact: true }).fill('2020-12-31');
    await page.getByRole('button', { name: 'Aplicar' }).click();
    await page.waitForURL(/from=2020-01-01/);
    assert.match(await page.locator('main').textContent(), /Sem dados no período/);
    // Everything the dashboards load is served by Torque (the browser's own
    // favicon probe aside).
    assert.deepEqual(missing.filter((u) => !u.endsWith('/favicon.ico')), [], 'missing resources');
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of 404/.test(e)), [], 'console errors (CSP?)');
  } catch (e) {
    await shot(page, 'failure-reports').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log:\n' + sys.logs.join('').split('\n').filter((l) => /ERROR|WARN|panic|reports/.test(l)).slice(-12).join('\n'));
    throw e;
  } finally {
    await context.close();
  }

  // The franchise: its manager compares the member shops.
  const hqSlug = `rede-${id}`;
  const hqEmail = `gestora-${id}@example.com`;
  const hq = await signup(hqSlug, hqEmail, 'franchise');
  const fr = await must(api('POST', '/api/v1/franchises', hq, { name: `Rede Relatórios ${id}` }), 201, 'franchise');
  await must(api('POST', `/api/v1/franchises/${fr.id}/workshops`, hq, { workshop_slug: shopSlug }), 201, 'invite');
  const acc = await api('POST', ws('/franchise/accept'), tok, { franchise_id: fr.id });
  assert.equal(acc.status, 204, 'accept: ' + acc.text);

  const second = await newPage(sys.browser);
  const p2 = second.page;
  try {
    await login(p2, hqEmail, PASSWORD);
    await p2.goto(BASE + '/app/franchises');
    await p2.getByRole('link', { name: `Rede Relatórios ${id}` }).click();
    await p2.locator('#report-charts[data-ready="true"]').waitFor({ state: 'attached' });
    const row = p2.locator('#shops tr', { hasText: `Auto Center ${shopSlug}` });
    assert.match(await row.textContent(), /R\$ 875,00/);
    assert.equal(await p2.locator('canvas[data-chart="revenue"]').getAttribute('data-drawn'), '1');
    await row.getByRole('link').click();
    await p2.waitForURL(/shop=/);
    assert.match(await p2.locator('#mix').textContent(), /Troca de óleo\s*50,0%/);
    const text = await p2.locator('main').textContent();
    for (const n of names) assert.ok(!text.includes(n), `the comparison shows ${n}`);
    await shot(p2, 'franchise-comparison');
    assert.deepEqual(p2.consoleErrors.filter((e) => !/status of 404/.test(e)), [], 'console errors (CSP?)');
  } catch (e) {
    await shot(p2, 'failure-franchise').catch(() => {});
    console.log('page:', p2.url(), '\n', (await p2.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log:\n' + sys.logs.join('').split('\n').filter((l) => /ERROR|WARN|panic|reports/.test(l)).slice(-12).join('\n'));
    throw e;
  } finally {
    await second.context.close();
  }
});
