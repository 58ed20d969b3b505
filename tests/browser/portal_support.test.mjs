// The portal's help centre, tickets and live chat in headless Chromium on a
// phone-sized screen: a car owner signs in with the e-mailed code, finds a
// default article by search, opens a ticket, writes in the chat; the owner
// of the workshop answers from the back-office inbox and the car owner sees
// the answer arrive live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, newPage, shot, uniq, login, BASE } from './lib/torque.mjs';
import { api, must, loginCode } from './lib/portal.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const id = uniq();
const slug = `oficina-ajuda-${id}`;
const ownerEmail = `dono-ajuda-${id}@example.com`;
const carOwnerEmail = `joana-${id}@example.com`;
const PASSWORD = 'senha-forte-2026';

test('portal support: help search, ticket, live chat answered from the inbox', async () => {
  await must(201, api('POST', '/api/v1/signup', '', {
    workshop_name: `Auto Center Ajuda ${id}`, slug, plan: 'pro',
    owner: { name: 'Dono', email: ownerEmail, password: PASSWORD },
  }));
  const { session_token: staff } = await must(200, api('POST', '/api/v1/auth/login', '', { email: ownerEmail, password: PASSWORD }));
  const ws = `/api/v1/workshops/${slug}`;
  for (let i = 0; i < 120 && (await api('GET', ws, staff)).status !== 200; i++) {
    await new Promise((res) => setTimeout(res, 250));
  }
  await must(201, api('POST', ws + '/customers', staff, { name: 'Joana Prado', email: carOwnerEmail }));

  const { context, page } = await newPage(sys.browser, { viewport: { width: 390, height: 844 } });
  const office = await newPage(sys.browser);
  try {
    await page.goto(`${BASE}/p/${slug}/login`);
    await page.getByLabel('E-mail').fill(carOwnerEmail);
    await page.getByRole('button', { name: 'Enviar código' }).click();
    await page.getByLabel('Código recebido por e-mail').waitFor();
    await page.getByLabel('Código recebido por e-mail').fill(await loginCode(carOwnerEmail, id));
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { name: 'Olá, Joana Prado' }).waitFor();

    // Help centre: search finds the default article on brakes.
    assert.ok(await page.locator(`a[href="/p/${slug}/ajuda"]`).count() > 0, 'the portal links the help centre');
    await page.goto(`${BASE}/p/${slug}/ajuda`);
    await page.getByRole('heading', { name: 'Central de ajuda' }).waitFor();
    await page.getByLabel('O que você procura?').fill('freios');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('link', { name: 'Quando revisar os freios?' }).click();
    await page.getByRole('heading', { name: 'Quando revisar os freios?' }).waitFor();
    await page.locator('article strong', { hasText: 'fluido de freio' }).waitFor();
    await shot(page, 'portal-support-01-article');

    // A ticket.
    await page.goto(`${BASE}/p/${slug}/atendimentos`);
    await page.getByLabel('Assunto').fill('Barulho no freio');
    await page.getByLabel('Mensagem').fill('Está chiando ao frear.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.getByRole('heading', { name: 'Barulho no freio' }).waitFor();
    await page.getByText('Está chiando ao frear.').waitFor();
    await shot(page, 'portal-support-02-ticket');

    // The chat.
    await page.goto(`${BASE}/p/${slug}/chat`);
    await page.locator('#chat[data-connected="true"]').waitFor();
    await page.locator('#chat-text').fill('Olá, meu carro fica pronto hoje?');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.locator('#chat-log .from-customer', { hasText: 'meu carro fica pronto hoje?' }).waitFor();

    // The workshop answers from the inbox.
    await login(office.page, ownerEmail, PASSWORD);
    await office.page.goto(`${BASE}/app/${slug}/support`);
    await office.page.getByRole('link', { name: 'Abrir conversa' }).first().click();
    await office.page.locator('#chat[data-connected="true"]').waitFor();
    await office.page.locator('#chat-log .from-customer', { hasText: 'meu carro fica pronto hoje?' }).waitFor();
    await office.page.getByLabel('Escreva uma mensagem').fill('Sim, às 17h.');
    await office.page.getByRole('button', { name: 'Enviar' }).click();

    // The car owner sees it live, and again after a reload (history).
    await page.locator('#chat-log .from-staff', { hasText: 'Sim, às 17h.' }).waitFor();
    await shot(page, 'portal-support-03-chat');
    await page.reload();
    await page.locator('#chat-log .from-staff', { hasText: 'Sim, às 17h.' }).waitFor();
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of 404/.test(e)), []);
  } catch (e) {
    await shot(page, 'portal-support-failure').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log tail:\n' + sys.logs.join('').split('\n').filter((l) => l.includes('/p/') || l.includes('ERROR') || l.includes('WARN')).join('\n').slice(-4000));
    throw e;
  } finally {
    await office.context.close();
    await context.close();
  }
});
