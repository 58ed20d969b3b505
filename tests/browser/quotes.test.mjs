// Quotes (orçamentos) in the back office, in headless Chromium: an advisor's
// quote builder on the order page (catalogue items, prices in reais, a
// validity date), a refused line shown beside its field, a new version that
// supersedes the first, and the invoice (fatura) download of a completed
// order, which says it is not a fiscal NFS-e.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, newPage, shot, login, uniq, BASE } from './lib/torque.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const PASSWORD = 'senha-forte-2026';
const id = uniq();
const slug = `orcamento-${id}`;
const ownerEmail = `dona-${id}@example.com`;

async function api(method, p, token, body) {
  const res = await fetch(BASE + p, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

function must(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

test('quote builder on the order page, new version, invoice download', async () => {
  // A workshop with a customer, a car and an open order, through the API.
  must(await api('POST', '/api/v1/signup', '', {
    workshop_name: `Oficina São João ${id}`, slug, plan: 'pro',
    owner: { name: 'Márcia Dona', email: ownerEmail, password: PASSWORD },
  }), 201, 'signup');
  const token = must(await api('POST', '/api/v1/auth/login', '', { email: ownerEmail, password: PASSWORD }), 200, 'login').session_token;
  const ws = (p) => `/api/v1/workshops/${slug}${p}`;
  // The new membership reaches the session's workshop list shortly after signup.
  let created;
  for (let i = 0; i < 50; i++) {
    created = await api('POST', ws('/customers'), token, { name: 'João Araújo' });
    if (created.status !== 404) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const customer = must(created, 201, 'customer');
  const car = must(await api('POST', ws(`/customers/${customer.id}/vehicles`), token,
    { plate: 'QUO1A23', make: 'Volkswagen', model: 'Gol', year: 2019 }), 201, 'vehicle');
  const order = must(await api('POST', ws('/service-orders'), token, {
    customer_id: customer.id, vehicle_id: car.id, description: 'Barulho no freio',
    items: [{ service: 'diagnostics', description: 'Diagnóstico', quantity: 1, unit_price_cents: 5000 }],
  }), 201, 'order');

  const { context, page } = await newPage(sys.browser);
  try {
    await login(page, ownerEmail, PASSWORD);
    await page.goto(`${BASE}/app/${slug}/orders/${order.id}`);
    const quote = page.locator('#quote');
    await quote.getByRole('heading', { name: 'Orçamento' }).waitFor();
    assert.match(await page.locator('#quote-none').textContent(), /Nenhum orçamento enviado/);
    // The builder starts from the order's items.
    assert.equal(await page.locator('[name="items[0].service"]').inputValue(), 'diagnostics');
    assert.equal(await page.locator('[name="items[0].unit_price"]').inputValue(), '50,00');

    // A second line from the catalogue, with a bad quantity first.
    await page.getByLabel('Item 2').selectOption({ label: 'Pastilhas de freio' });
    await page.locator('[name="items[1].description"]').fill('Pastilhas dianteiras');
    await page.locator('[name="items[1].quantity"]').fill('0');
    await page.locator('[name="items[1].unit_price"]').fill('320,00');
    await page.getByLabel('Válido até').fill('2099-12-31');
    await page.getByLabel('Observações para o cliente').fill('Peças originais, garantia de três meses.');
    await page.getByRole('button', { name: 'Enviar orçamento ao cliente' }).click();
    const qtyError = page.locator('[data-field="items[1].quantity"]');
    await qtyError.waitFor();
    assert.equal(await page.locator('[name="items[1].description"]').inputValue(), 'Pastilhas dianteiras', 'the form keeps what was typed');
    await shot(page, 'quote-invalid-line');

    await page.locator('[name="items[1].quantity"]').fill('2');
    await page.getByRole('button', { name: 'Enviar orçamento ao cliente' }).click();
    await page.locator('.flash').filter({ hasText: 'Orçamento enviado' }).waitFor();
    assert.match(await page.locator('h1 .badge').textContent(), /Orçada/);
    assert.match(await page.locator('#quote').textContent(), /Versão 1/);
    assert.equal((await page.locator('#quote-total').textContent()).replace(/\s/g, ' '), 'R$ 690,00');
    const rows = await page.locator('#quote-items tbody tr').allTextContents();
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.includes('Aguardando')), 'every line waits for the customer');
    assert.match(await page.locator('#quote-portal-link').textContent(), new RegExp(`/p/${slug}/quotes/`));
    await shot(page, 'quote-sent');

    // A new version replaces the first; the builder starts from the current quote.
    assert.equal(await page.locator('[name="items[1].service"]').inputValue(), 'brake_pads');
    await page.locator('[name="items[1].unit_price"]').fill('300,00');
    await page.getByRole('button', { name: 'Enviar orçamento ao cliente' }).click();
    await page.locator('.flash').filter({ hasText: 'Orçamento enviado' }).waitFor();
    assert.match(await page.locator('#quote').textContent(), /Versão 2/);
    assert.equal((await page.locator('#quote-total').textContent()).replace(/\s/g, ' '), 'R$ 650,00');
    const api2 = must(await api('GET', ws(`/service-orders/${order.id}/quote`), token), 200, 'quote via API');
    assert.equal(api2.version, 2);

    // Invoices: only once an order is completed; the PDF is no NFS-e.
    assert.match(await page.locator('#invoice').textContent(), /disponível quando a OS é concluída/);
    const walkIn = must(await api('POST', ws('/service-orders'), token, {
      customer_id: customer.id, vehicle_id: car.id,
      items: [{ service: 'oil_change', description: 'Troca de óleo 5W30', quantity: 1, unit_price_cents: 18000 }],
    }), 201, 'walk-in order');
    for (const status of ['in_progress', 'completed']) {
      must(await api('POST', ws(`/service-orders/${walkIn.id}/status`), token, { status }), 200, status);
    }
    await page.goto(`${BASE}/app/${slug}/orders/${walkIn.id}`);
    assert.match(await page.locator('#invoice-not-fiscal').textContent(), /não é uma nota fiscal \(NFS-e\)/);
    const href = await page.locator('#invoice-download').getAttribute('href');
    const res = await page.request.get(BASE + href);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const pdf = await res.body();
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    await shot(page, 'invoice-link');
    let text = '';
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'fatura-'));
      writeFileSync(path.join(dir, 'f.pdf'), pdf);
      text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'f.pdf'), '-']).toString();
      rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      console.log('pdftotext unavailable, text not checked:', e.code || e.message);
    }
    if (text) {
      assert.match(text, /Fatura da OS nº 2/);
      assert.match(text, /João Araújo/);
      assert.match(text, /não é uma nota fiscal/);
    }
    // The refused form answers 422 and a workshop without a logo 404s its
    // logo; nothing else may fail, and no CSP violation may show.
    const unexpected = page.consoleErrors.filter((m) => !/status of (404|422)/.test(m));
    assert.deepEqual(unexpected, [], 'no console errors (CSP)');
  } catch (e) {
    await shot(page, 'failure-quotes').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 1500));
    console.log('server log tail:\n' + sys.logs.join('').slice(-2500));
    throw e;
  } finally {
    await context.close();
  }
});
