// The customer portal in headless Chromium, on a phone-sized screen: a car
// owner signs in with the one-time code Ory e-mails (read from Mailpit), sees
// their car and its service history, and changes their mobile phone; the
// workshop's back office sees the new number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, newPage, shot, uniq, BASE } from './lib/torque.mjs';
import { api, must, loginCode } from './lib/portal.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const id = uniq();
const slug = `oficina-portal-${id}`;
const ownerEmail = `dono-portal-${id}@example.com`;
const carOwnerEmail = `maria-${id}@example.com`;
const PASSWORD = 'senha-forte-2026';

test('portal: code login from Mailpit, vehicle history, change phone', async () => {
  // The workshop and its records, through the staff API.
  await must(201, api('POST', '/api/v1/signup', '', {
    workshop_name: `Auto Center Portal ${id}`, slug, plan: 'pro',
    owner: { name: 'Dono', email: ownerEmail, password: PASSWORD },
  }));
  const { session_token: staff } = await must(200, api('POST', '/api/v1/auth/login', '', { email: ownerEmail, password: PASSWORD }));
  const ws = `/api/v1/workshops/${slug}`;
  // Signup waits for its read models only so long: on a busy machine the
  // membership may show a moment later.
  for (let i = 0; i < 120 && (await api('GET', ws, staff)).status !== 200; i++) {
    await new Promise((res) => setTimeout(res, 250));
  }
  const customer = await must(201, api('POST', ws + '/customers', staff, {
    name: 'Maria Conceição', email: carOwnerEmail, phones: { mobile: '(11) 98765-4321' },
  }));
  const car = await must(201, api('POST', `${ws}/customers/${customer.id}/vehicles`, staff,
    { plate: 'BRA2E19', make: 'Volkswagen', model: 'Gol', year: 2019 }));
  await must(201, api('POST', ws + '/service-orders', staff, {
    customer_id: customer.id, vehicle_id: car.id, description: 'Revisão dos 45 mil',
    items: [{ service: 'oil_change', description: 'Troca de óleo', quantity: 1, unit_price_cents: 18000 }],
  }));

  const { context, page } = await newPage(sys.browser, { viewport: { width: 390, height: 844 } });
  try {
    // Not signed in: the portal asks for the e-mail, with the privacy policy linked.
    await page.goto(`${BASE}/p/${slug}/`);
    await page.waitForURL(new RegExp(`/p/${slug}/login$`));
    assert.match(await page.locator('.brand').textContent(), new RegExp(`Auto Center Portal ${id}`));
    assert.equal(await page.getByRole('link', { name: 'Política de privacidade' }).first().getAttribute('href'), `/p/${slug}/privacy`);
    await shot(page, 'portal-01-login');
    await page.getByLabel('E-mail').fill(carOwnerEmail);
    await page.getByRole('button', { name: 'Enviar código' }).click();
    await page.getByLabel('Código recebido por e-mail').waitFor();
    const code = await loginCode(carOwnerEmail, id);
    await page.getByLabel('Código recebido por e-mail').fill(code);
    await shot(page, 'portal-02-code');
    await page.getByRole('button', { name: 'Entrar' }).click();

    // Home: the car and its history.
    await page.getByRole('heading', { name: 'Olá, Maria Conceição' }).waitFor();
    const main = await page.locator('main').textContent();
    assert.match(main, /BRA2E19/);
    assert.match(main, /#1/);
    assert.match(main, /Revisão dos 45 mil/);
    assert.match(main, /Aberta/);
    await shot(page, 'portal-03-home');
    // The session cookie is out of the page's reach.
    const cookies = await context.cookies();
    const portalCookie = cookies.find((c) => c.name === 'torque_portal');
    assert.ok(portalCookie && portalCookie.httpOnly && portalCookie.sameSite === 'Lax', JSON.stringify(cookies));
    assert.equal(await page.evaluate(() => document.cookie.includes('torque_portal')), false);

    // The order's page.
    await page.getByRole('link', { name: /#1/ }).first().click();
    await page.getByRole('heading', { name: 'Ordem de serviço #1' }).waitFor();
    assert.match(await page.locator('main').textContent(), /Troca de óleo/);

    // Change the mobile phone.
    await page.getByRole('link', { name: 'Meus dados' }).click();
    await page.getByRole('heading', { name: 'Meus dados' }).waitFor();
    await page.getByLabel('Celular').fill('(11) 91234-5678');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Dados salvos.').waitFor();
    await shot(page, 'portal-04-profile');
    // An invalid number is refused beside its field.
    await page.getByLabel('Celular').fill('123');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.locator('.field-error[data-field="phones.mobile"]').waitFor();

    const seen = await must(200, api('GET', `${ws}/customers/${customer.id}`, staff));
    assert.equal(seen.phones.mobile, '+5511912345678');
    // 422: the refused phone above; 404: the favicon. Anything else (a CSP
    // violation, a script error) fails.
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of (422|404)/.test(e)), []);
  } catch (e) {
    await shot(page, 'portal-failure').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log tail:\n' + sys.logs.join('').split('\n').filter((l) => l.includes('/p/') || l.includes('ERROR') || l.includes('WARN')).join('\n').slice(-4000));
    throw e;
  } finally {
    await context.close();
  }
});
