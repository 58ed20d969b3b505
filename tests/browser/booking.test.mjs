// The staff side of online booking in headless Chromium: the booking
// settings form (a bad value shown beside its field), the opening hours,
// booking a slot for a
// customer from the vehicle page, the week and day calendar, and marking the
// arrival, which opens the service order the calendar then links to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, newPage, shot, login, uniq, BASE } from './lib/torque.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const PASSWORD = 'senha-forte-2026';
const id = uniq();
const slug = `agenda-${id}`;
const ownerEmail = `dona-agenda-${id}@example.com`;
const L = () => String.fromCharCode(65 + Math.floor(Math.random() * 26));
const N = () => String(Math.floor(Math.random() * 10));
const plate = L() + L() + L() + N() + L() + N() + N();

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

// The workshop and a customer with a car, through the REST API.
async function setup() {
  await api('POST', '/api/v1/signup', '', {
    workshop_name: `Auto Center Agenda ${id}`, slug, plan: 'pro',
    owner: { name: 'Marta Dona', email: ownerEmail, password: PASSWORD },
  });
  const { session_token: tok } = await api('POST', '/api/v1/auth/login', '', { email: ownerEmail, password: PASSWORD });
  const ws = `/api/v1/workshops/${slug}`;
  // The new workshop reaches the registry through its projection.
  for (let i = 0; ; i++) {
    const res = await fetch(BASE + ws, { headers: { Authorization: `Bearer ${tok}` } });
    if (res.ok) break;
    if (i > 600) throw new Error(`workshop ${slug} not ready: ${res.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const c = await api('POST', `${ws}/customers`, tok, { name: 'Joana Araújo', document: '390.533.447-05', phones: { mobile: '(11) 98765-4321' } });
  const v = await api('POST', `${ws}/customers/${c.id}/vehicles`, tok, { plate, make: 'Fiat', model: 'Argo', year: 2022 });
  return { vehicleID: v.id };
}

test('agenda: settings, booking a slot, calendar, arrival opens the order', async () => {
  const { vehicleID } = await setup();
  const { context, page } = await newPage(sys.browser);
  try {
    await login(page, ownerEmail, PASSWORD);

    // The nav leads to the calendar, and from there to the settings.
    await page.getByRole('link', { name: 'Agenda', exact: true }).click();
    await page.getByRole('heading', { name: 'Agenda', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Configurações da agenda' }).click();
    await page.getByRole('heading', { name: 'Configurações da agenda' }).waitFor();
    assert.equal(await page.getByLabel('Boxes (atendimentos simultâneos)').inputValue(), '1');
    assert.equal(await page.getByLabel('Intervalo entre horários (minutos)').inputValue(), '30');

    // A bad value is refused beside its field; nothing saved.
    await page.getByLabel('Boxes (atendimentos simultâneos)').fill('0');
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.locator('#e-bays').waitFor();
    assert.equal(await page.getByLabel('Boxes (atendimentos simultâneos)').getAttribute('aria-invalid'), 'true');
    await shot(page, 'booking-01-settings-error');

    await page.getByLabel('Boxes (atendimentos simultâneos)').fill('2');
    await page.getByLabel('Troca de óleo').fill('45');
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.locator('.flash').filter({ hasText: 'Configurações da agenda salvas.' }).waitFor();
    assert.equal(await page.getByLabel('Boxes (atendimentos simultâneos)').inputValue(), '2');
    assert.equal(await page.getByLabel('Troca de óleo').inputValue(), '45');
    await shot(page, 'booking-02-settings');

    // Opening hours (the workshop profile's), on the same page: every day
    // 07:00–19:00, so a slot is always ahead. A closing time before the
    // opening one is refused on its row first.
    const days = ['segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado', 'domingo'];
    await page.getByLabel('Aberto: segunda-feira').check();
    await page.getByLabel('Abre: segunda-feira').fill('18:00');
    await page.getByLabel('Fecha: segunda-feira').fill('08:00');
    await page.getByRole('button', { name: 'Salvar horário' }).click();
    await page.locator('tr.has-error').filter({ hasText: 'segunda-feira' }).waitFor();
    for (const d of days) {
      await page.getByLabel(`Aberto: ${d}`).check();
      await page.getByLabel(`Abre: ${d}`).fill('07:00');
      await page.getByLabel(`Fecha: ${d}`).fill('19:00');
    }
    assert.equal(await page.getByLabel('Fuso horário').inputValue(), 'America/Sao_Paulo');
    await page.getByRole('button', { name: 'Salvar horário' }).click();
    await page.locator('.flash').filter({ hasText: 'Horário de funcionamento salvo.' }).waitFor();
    assert.equal(await page.getByLabel('Fecha: domingo').inputValue(), '19:00');
    await shot(page, 'booking-02b-hours');

    // Book from the vehicle page: services, then a free slot.
    await page.goto(`${BASE}/app/${slug}/vehicles/${vehicleID}`);
    await page.getByRole('link', { name: 'Agendar' }).click();
    await page.getByRole('heading', { name: 'Novo agendamento' }).waitFor();
    await page.getByLabel('Troca de óleo').check();
    await page.getByRole('button', { name: 'Ver horários' }).click();
    const slot = page.getByLabel('Horário');
    await slot.waitFor();
    const chosen = await slot.locator('option').first().textContent();
    await page.getByLabel('Observação do cliente').fill('Cliente ligou: barulho no motor');
    await page.getByRole('button', { name: 'Agendar' }).click();
    await page.locator('.flash').filter({ hasText: 'Agendamento criado.' }).waitFor();
    await shot(page, 'booking-03-day');

    // The day view shows it: time, plate, customer, services, note.
    const card = page.locator('.appointment').filter({ hasText: plate });
    await card.waitFor();
    const text = await card.textContent();
    assert.match(text, new RegExp(chosen.trim().split(' ').pop())); // the start time
    assert.match(text, /Joana Araújo/);
    assert.match(text, /Troca de óleo/);
    assert.match(text, /barulho no motor/);
    assert.match(text, /Agendado/);

    // The week view too.
    await page.getByRole('link', { name: 'Semana' }).click();
    await page.locator('.agenda.week .appointment').filter({ hasText: plate }).waitFor();
    assert.equal(await page.locator('.agenda.week .agenda-day').count(), 7);
    await shot(page, 'booking-04-week');

    // Mark the arrival: the order opens and the calendar links to it.
    await page.locator('.appointment').filter({ hasText: plate }).getByRole('button', { name: 'Chegou' }).click();
    await page.locator('.flash').filter({ hasText: 'Chegada registrada e OS aberta.' }).waitFor();
    const arrived = page.locator('.appointment').filter({ hasText: plate });
    assert.match(await arrived.textContent(), /Chegou/);
    assert.equal(await arrived.getByRole('button').count(), 0, 'no actions once arrived');
    await shot(page, 'booking-05-arrived');
    await arrived.getByRole('link', { name: /Ver OS nº 1/ }).click();
    await page.waitForURL(new RegExp(`/app/${slug}/orders/`));
    const order = await page.locator('main').textContent();
    assert.match(order, /Troca de óleo/);
    assert.match(order, new RegExp(plate));
    // 422: the refused settings form; 404: the workshop has no logo yet (as in backoffice.test.mjs).
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of (422|404)/.test(e)), []);
  } catch (e) {
    await shot(page, 'booking-failure').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log tail:\n' + sys.logs.join('').slice(-2500));
    throw e;
  } finally {
    await context.close();
  }
});
