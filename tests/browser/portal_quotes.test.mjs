// Issue 12 in the customer portal, in headless Chromium on a phone-sized
// screen: the workshop sends a quote with two lines (staff API); the car
// owner signs in with the code e-mailed by Ory (read from Mailpit), sees the
// history, approves one line and declines the other; once the workshop
// completes the order the owner downloads the invoice PDF from the portal,
// then changes their phone and message preferences, and books a slot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, newPage, shot, uniq, BASE } from './lib/torque.mjs';
import { api, must, loginCode } from './lib/portal.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const id = uniq();
const slug = `oficina-orcamento-${id}`;
const ownerEmail = `dono-orc-${id}@example.com`;
const carOwnerEmail = `jose-${id}@example.com`;
const PASSWORD = 'senha-forte-2026';

test('portal: quote decided line by line, invoice PDF, phone and preferences', async () => {
  await must(201, api('POST', '/api/v1/signup', '', {
    workshop_name: `Mecânica Orçamento ${id}`, slug, plan: 'pro',
    owner: { name: 'Dono', email: ownerEmail, password: PASSWORD },
  }));
  const { session_token: staff } = await must(200, api('POST', '/api/v1/auth/login', '', { email: ownerEmail, password: PASSWORD }));
  const ws = `/api/v1/workshops/${slug}`;
  for (let i = 0; i < 120 && (await api('GET', ws, staff)).status !== 200; i++) {
    await new Promise((res) => setTimeout(res, 250));
  }
  const customer = await must(201, api('POST', ws + '/customers', staff, {
    name: 'José Araújo', email: carOwnerEmail, phones: { mobile: '(11) 98765-4321' },
  }));
  const car = await must(201, api('POST', `${ws}/customers/${customer.id}/vehicles`, staff,
    { plate: 'QUO1T23', make: 'Fiat', model: 'Uno', year: 2015 }));
  const order = await must(201, api('POST', ws + '/service-orders', staff, {
    customer_id: customer.id, vehicle_id: car.id, description: 'Barulho no freio',
    items: [{ service: 'diagnostics', description: 'Diagnóstico', quantity: 1, unit_price_cents: 5000 }],
  }));
  const quote = await must(201, api('POST', `${ws}/service-orders/${order.id}/quote`, staff, {
    items: [
      { service: 'brake_pads', description: 'Pastilhas dianteiras', quantity: 1, unit_price_cents: 32000 },
      { service: 'oil_change', description: 'Troca de óleo', quantity: 1, unit_price_cents: 18000 },
    ],
    valid_until: '2099-12-31', note: 'Peças originais',
  }));
  const [brakes, oil] = quote.items;

  const { context, page } = await newPage(sys.browser, { viewport: { width: 390, height: 844 } });
  try {
    await page.goto(`${BASE}/p/${slug}/login`);
    await page.getByLabel('E-mail').fill(carOwnerEmail);
    await page.getByRole('button', { name: 'Enviar código' }).click();
    await page.getByLabel('Código recebido por e-mail').waitFor();
    await page.getByLabel('Código recebido por e-mail').fill(await loginCode(carOwnerEmail, id));
    await page.getByRole('button', { name: 'Entrar' }).click();

    // History.
    await page.getByRole('heading', { name: 'Olá, José Araújo' }).waitFor();
    const home = await page.locator('main').textContent();
    assert.match(home, /QUO1T23/);
    assert.match(home, /Barulho no freio/);

    // The order links to its quote.
    await page.getByRole('link', { name: /#1/ }).first().click();
    await page.getByRole('heading', { name: 'Ordem de serviço #1' }).waitFor();
    await page.getByRole('link', { name: 'Ver e aprovar o orçamento' }).click();
    await page.getByRole('heading', { name: 'Orçamento da ordem de serviço #1' }).waitFor();
    const q = await page.locator('main').textContent();
    assert.match(q, /Pastilhas dianteiras/);
    assert.match(q, /R\$\s?500,00/);
    assert.match(q, /31\/12\/2099/);
    await shot(page, 'portal-quote-01-pending');

    // Every line must be decided: one approved, one declined.
    await page.locator(`tr[data-item="${brakes.id}"]`).getByLabel('Aprovar').check();
    await page.locator(`tr[data-item="${oil.id}"]`).getByLabel('Recusar').check();
    await page.getByRole('button', { name: 'Enviar decisão' }).click();
    await page.getByText('Decisão enviada à oficina').waitFor();
    assert.equal(await page.locator(`tr[data-item="${brakes.id}"]`).getAttribute('data-decision'), 'approved');
    assert.equal(await page.locator(`tr[data-item="${oil.id}"]`).getAttribute('data-decision'), 'declined');
    assert.equal(await page.getByRole('button', { name: 'Enviar decisão' }).count(), 0);
    await shot(page, 'portal-quote-02-decided');

    // The workshop sees the decision with its evidence.
    const decided = await must(200, api('GET', `${ws}/service-orders/${order.id}/quote`, staff));
    assert.equal(decided.status, 'partially_approved');
    assert.equal(decided.decision.approved_total_cents, 32000);
    assert.ok(decided.decision.ip, 'the IP is recorded');
    assert.match(decided.decision.user_agent, /Chrom/);

    // No invoice until the order is completed; then the portal offers it.
    await page.goto(`${BASE}/p/${slug}/orders/${order.id}`);
    assert.equal(await page.getByRole('link', { name: 'Baixar fatura (PDF)' }).count(), 0);
    for (const status of ['in_progress', 'completed']) {
      await must(200, api('POST', `${ws}/service-orders/${order.id}/status`, staff, { status }));
    }
    await page.goto(`${BASE}/p/${slug}/orders/${order.id}`);
    const href = await page.getByRole('link', { name: 'Baixar fatura (PDF)' }).getAttribute('href');
    assert.equal(href, `/p/${slug}/orders/${order.id}/invoice.pdf`);
    await shot(page, 'portal-quote-03-invoice');
    const res = await page.request.get(BASE + href);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const pdf = await res.body();
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    let text = '';
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'fatura-portal-'));
      writeFileSync(path.join(dir, 'f.pdf'), pdf);
      text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'f.pdf'), '-']).toString();
      rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      console.log('pdftotext unavailable, text not checked:', e.code || e.message);
    }
    if (text) {
      assert.match(text, /OS nº 1/);
      assert.match(text, /José Araújo/);
      assert.match(text, /Pastilhas dianteiras/);
      assert.doesNotMatch(text, /Troca de óleo/);
    }
    // Another order id is not the owner's: not found.
    const other = await page.request.get(`${BASE}/p/${slug}/orders/00000000-0000-4000-8000-000000000000/invoice.pdf`);
    assert.equal(other.status(), 404);

    // Change the phone, then the message preferences.
    await page.getByRole('link', { name: 'Meus dados' }).click();
    await page.getByRole('heading', { name: 'Meus dados' }).waitFor();
    await page.getByLabel('Celular').fill('(11) 91234-5678');
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByText('Dados salvos.').waitFor();
    await page.getByLabel('SMS', { exact: true }).uncheck();
    await page.getByLabel('Lembretes de manutenção').selectOption('quarterly');
    // Marketing consent, per channel.
    await page.getByLabel('Aceito receber por E-mail').check();
    await page.getByLabel('Aceito receber por WhatsApp').check();
    await page.getByRole('button', { name: 'Atualizar preferências' }).click();
    await page.getByText('Preferências salvas.').waitFor();
    assert.equal(await page.getByLabel('Aceito receber por WhatsApp').isChecked(), true);
    await page.getByLabel('Aceito receber por WhatsApp').uncheck();
    await page.getByRole('button', { name: 'Atualizar preferências' }).click();
    await page.getByText('Preferências salvas.').waitFor();
    assert.equal(await page.getByLabel('Aceito receber por E-mail').isChecked(), true);
    assert.equal(await page.getByLabel('Aceito receber por WhatsApp').isChecked(), false);
    assert.equal(await page.getByLabel('SMS', { exact: true }).isChecked(), false);
    await shot(page, 'portal-quote-04-profile');
    const consents = (await must(200, api('GET', `${ws}/customers/${customer.id}/consents`, staff))).items
      .filter((c) => c.purpose === 'marketing');
    assert.deepEqual(consents.map((c) => `${c.granted ? '+' : '-'}${c.granted ? c.channel : ''}@${c.source}`),
      ['+whatsapp@portal', '+email@portal', '-@portal', '+email@portal'], JSON.stringify(consents));

    const seen = await must(200, api('GET', `${ws}/customers/${customer.id}`, staff));
    assert.equal(seen.phones.mobile, '+5511912345678');
    const prefs = await must(200, api('GET', `${ws}/customers/${customer.id}/preferences`, staff));
    assert.equal(prefs.reminders, 'quarterly');
    assert.deepEqual(prefs.channels, ['whatsapp', 'email']);

    // Book a slot in the portal: the workshop opens every day 08:00–18:00.
    const hours = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ weekday: d, opens: '08:00', closes: '18:00' }));
    await must(200, api('PATCH', ws, staff, { time_zone: 'America/Sao_Paulo', business_hours: hours }));
    await page.goto(`${BASE}/p/${slug}/agendar`);
    await page.getByRole('heading', { name: 'Agendar um serviço' }).waitFor();
    await page.getByLabel('Troca de óleo', { exact: false }).first().check();
    await page.getByRole('button', { name: 'Ver horários' }).click();
    const slot = await page.getByLabel('Horário').inputValue();
    assert.ok(slot, 'a free slot is offered');
    await page.getByRole('button', { name: 'Agendar', exact: true }).click();
    await page.getByText('Agendamento feito.').waitFor();
    await shot(page, 'portal-quote-05-booking');
    const booked = await must(200, api('GET', `${ws}/appointments?from=${slot.slice(0, 10)}&to=${slot.slice(0, 10)}`, staff));
    assert.equal(booked.items.filter((a) => a.vehicle_id === car.id && a.status === 'booked').length, 1, JSON.stringify(booked));

    assert.deepEqual(page.consoleErrors.filter((e) => !/status of (422|404)/.test(e)), []);
  } catch (e) {
    await shot(page, 'portal-quote-failure').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log tail:\n' + sys.logs.join('').split('\n').filter((l) => l.includes('/p/') || l.includes('ERROR') || l.includes('WARN')).join('\n').slice(-4000));
    throw e;
  } finally {
    await context.close();
  }
});
