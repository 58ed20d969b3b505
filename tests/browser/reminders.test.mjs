// Upcoming maintenance ("Próximas manutenções"): after a service order with an
// oil change and a brake-fluid change, the owner sees both services predicted
// (pt-BR), filters by date and dismisses one reminder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, newPage, shot, login, uniq, BASE } from './lib/torque.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const PASSWORD = 'senha-forte-2026';
const id = uniq();
const slug = `oficina-lembretes-${id}`;
const email = `dono-lembretes-${id}@example.com`;

async function api(method, path, token, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// dd/mm/yyyy of a day d days from today (UTC, as the server computes it).
function brDate(days, months = 0) {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10).split('-').reverse().join('/');
}

test('upcoming maintenance: list, filter and dismiss', async () => {
  await api('POST', '/api/v1/signup', '', {
    workshop_name: `Auto Center Lembretes ${id}`, slug, plan: 'pro',
    owner: { name: 'Maria Dona', email, password: PASSWORD },
  });
  const { session_token: token } = await api('POST', '/api/v1/auth/login', '', { email, password: PASSWORD });
  const ws = (p) => `/api/v1/workshops/${slug}${p}`;
  const customer = await api('POST', ws('/customers'), token, { name: 'João Pereira', email: `joao-${id}@example.com` });
  const plate = 'LMB' + String(Math.floor(Math.random() * 10)) + 'A' + String(10 + Math.floor(Math.random() * 89));
  const vehicle = await api('POST', ws(`/customers/${customer.id}/vehicles`), token,
    { plate, make: 'Volkswagen', model: 'Gol', year: 2019, mileage_km: 60000 });
  await api('POST', ws('/service-orders'), token, {
    customer_id: customer.id, vehicle_id: vehicle.id, mileage_km: 60200, items: [
      { service: 'oil_change', description: 'Troca de óleo 5W30', quantity: 1, unit_price_cents: 18000 },
      { service: 'brake_fluid', description: 'Fluido DOT 4', quantity: 1, unit_price_cents: 9000 },
    ],
  });

  const { context, page } = await newPage(sys.browser);
  const missing = [];
  page.on('response', (r) => { if (r.status() === 404) missing.push(new URL(r.url()).pathname); });
  try {
    await login(page, email, PASSWORD);
    await page.getByRole('link', { name: 'Próximas manutenções' }).click();
    await page.getByRole('heading', { name: 'Próximas manutenções' }).waitFor();
    // The projection applies the order shortly after it was opened.
    for (let i = 0; i < 40 && await page.locator('tr[data-service]').count() < 2; i++) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    const oil = page.locator('tr[data-service="oil_change"]');
    const fluid = page.locator('tr[data-service="brake_fluid"]');
    // 10,000 km at the fleet default of 33 km/day: 303 days, before 12 months.
    assert.match(await oil.textContent(), /Troca de óleo/);
    assert.match(await oil.textContent(), new RegExp(brDate(303)));
    assert.match(await oil.textContent(), /70\.200 km/);
    assert.match(await oil.textContent(), /33 km\/dia/);
    assert.match(await oil.textContent(), /Programado/);
    assert.match(await fluid.textContent(), /Fluido de freio/);
    assert.match(await fluid.textContent(), new RegExp(brDate(0, 24)));
    assert.match(await oil.textContent(), /Volkswagen Gol 2019/);
    await shot(page, 'reminders-01-list');

    // Filter: due within a year keeps only the oil change.
    const inAYear = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 10);
    await page.getByLabel('Previstas até').fill(inAYear);
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await page.waitForURL(/due_before=/);
    assert.equal(await page.locator('tr[data-service]').count(), 1);
    assert.equal(await page.locator('tr[data-service="oil_change"]').count(), 1);

    // Dismiss the oil change's reminder.
    await page.locator('tr[data-service="oil_change"]').getByRole('button', { name: 'Dispensar' }).click();
    await page.getByRole('heading', { name: 'Próximas manutenções' }).waitFor();
    for (let i = 0; i < 40 && !/Dispensado/.test(await page.locator('tr[data-service="oil_change"]').textContent()); i++) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    assert.match(await page.locator('tr[data-service="oil_change"]').textContent(), /Dispensado/);
    assert.equal(await page.locator('tr[data-service="oil_change"]').getByRole('button', { name: 'Dispensar' }).count(), 0);
    await shot(page, 'reminders-02-dismissed');
    // The only 404 a page may cause is the browser asking for /favicon.ico.
    assert.deepEqual(missing.filter((p) => p !== '/favicon.ico'), []);
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of 404/.test(e)), []);
  } catch (e) {
    await shot(page, 'failure-reminders').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log tail:\n' + sys.logs.join('').slice(-2500));
    throw e;
  } finally {
    await context.close();
  }
});
