// Messages to car owners in the back office (issue 11): the "Mensagens"
// section of the customer 360 page (messages and the preferences form) and
// the templates page with its preview and the unknown-placeholder check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, newPage, shot, login, uniq, BASE } from './lib/torque.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const PASSWORD = 'senha-forte-2026';
const id = uniq();
const slug = `msg-${id}`;
const ownerEmail = `dono-msg-${id}@example.com`;

async function api(method, path, body, token) {
  const res = await fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// retry404 retries while the new workshop is not yet in the read model (the
// machine may be busy: projections are eventually consistent).
async function retry404(fn) {
  for (let i = 0; ; i++) {
    try { return await fn(); } catch (e) {
      if (i > 60 || !/: 404 /.test(String(e.message))) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

test('messages: preferences on the 360 page, template preview', async () => {
  await api('POST', '/api/v1/signup', { workshop_name: `Oficina Mensagens ${id}`, slug, plan: 'pro',
    owner: { name: 'Rita Dona', email: ownerEmail, password: PASSWORD } });
  const { session_token: token } = await api('POST', '/api/v1/auth/login', { email: ownerEmail, password: PASSWORD });
  const ws = `/api/v1/workshops/${slug}`;
  const customer = await retry404(() => api('POST', `${ws}/customers`, { name: 'Ana Souza', email: `ana-${id}@example.com` }, token));
  await api('POST', `${ws}/customers/${customer.id}/consents`, { purpose: 'service_messages', channel: 'email', source: 'counter' }, token);

  const { context, page } = await newPage(sys.browser);
  try {
    await login(page, ownerEmail, PASSWORD);
    // The 360 page loads its "Mensagens" section.
    await page.goto(`${BASE}/app/${slug}/customers/${customer.id}`);
    const section = page.locator('#mensagens');
    await section.getByRole('heading', { name: 'Mensagens' }).waitFor();
    await section.getByText('Nenhuma mensagem para este cliente.').waitFor();
    const form = section.locator('[data-testid=preferences-form]');
    await form.waitFor();
    // Defaults: WhatsApp, e-mail and SMS chosen, quiet 20:00–08:00.
    assert.equal(await form.getByLabel('WhatsApp').isChecked(), true);
    await form.getByLabel('WhatsApp').uncheck();
    await form.getByLabel('SMS').uncheck();
    await form.getByLabel('Lembretes de manutenção').selectOption('monthly');
    await form.getByLabel('Não enviar a partir de').fill('21:30');
    await shot(page, 'messages-01-preferences');
    await form.getByRole('button', { name: 'Salvar preferências' }).click();
    await page.locator('.flash').filter({ hasText: 'Preferências salvas.' }).waitFor();
    const prefs = await api('GET', `${ws}/customers/${customer.id}/preferences`, undefined, token);
    assert.deepEqual(prefs.channels, ['email']);
    assert.equal(prefs.reminders, 'monthly');
    assert.deepEqual(prefs.quiet_hours, { from: '21:30', to: '08:00' });
    await section.locator('[data-testid=preferences-form]').waitFor();
    assert.equal(await section.getByLabel('WhatsApp').isChecked(), false);

    // Templates: an unknown placeholder is refused beside the text.
    await page.getByRole('navigation').getByRole('link', { name: 'Mensagens', exact: true }).click();
    await page.getByRole('heading', { name: 'Modelos de mensagem', level: 1 }).waitFor();
    const card = page.locator('#t-order_status-email');
    await card.getByLabel('Texto').fill('Olá {{customer_name}}, seu {{vehicle}} está {{status}}. {{senha}}');
    await card.getByRole('button', { name: 'Pré-visualizar' }).click();
    const err = page.locator('#t-order_status-email .field-error[data-field=body]');
    await err.waitFor();
    await shot(page, 'messages-02-template-error');
    await page.locator('#t-order_status-email').getByLabel('Texto').fill('Olá {{customer_name}}, seu {{vehicle}} está {{status}}.');
    await page.locator('#t-order_status-email').getByRole('button', { name: 'Pré-visualizar' }).click();
    const preview = page.locator('[data-testid=template-preview]');
    await preview.waitFor();
    assert.match(await preview.textContent(), /Olá Maria Silva, seu Volkswagen Gol está pronto para retirada\./);
    await shot(page, 'messages-03-template-preview');
    await page.locator('#t-order_status-email').getByRole('button', { name: 'Salvar modelo' }).click();
    await page.locator('.flash').filter({ hasText: 'Modelo salvo.' }).waitFor();
    assert.match(await page.locator('#t-order_status-email h2').textContent(), /personalizado/);

    // A campaign: Ana has no marketing consent, so she is counted, not contacted.
    await page.getByRole('main').getByRole('link', { name: 'Campanhas' }).click();
    await page.getByRole('heading', { name: 'Campanhas', level: 1 }).waitFor();
    await page.getByLabel('Nome', { exact: true }).fill('Revisão de verão');
    await page.getByLabel('Assunto (e-mail)').fill('{{workshop_name}}: revisão com desconto');
    await page.getByLabel('Texto').fill('Olá {{customer_name}}! 10% na revisão.');
    await page.getByRole('button', { name: 'Criar e agendar' }).click();
    await page.locator('.flash').filter({ hasText: 'Campanha criada.' }).waitFor();
    const row = page.locator('[data-testid=campaigns] tbody tr').first();
    assert.match(await row.textContent(), /Revisão de verão/);
    assert.deepEqual((await row.locator('td').allTextContents()).slice(2, 4), ['1', '1'], 'targeted 1, without consent 1');
    await shot(page, 'messages-04-campaigns');
    // A 422 page (the refused template) logs a failed load; scripts must not fail.
    assert.deepEqual(page.consoleErrors.filter((e) => !e.startsWith('Failed to load resource')), []);
  } catch (e) {
    await shot(page, 'failure-messages').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log tail:\n' + sys.logs.join('').slice(-2500));
    throw e;
  } finally {
    await context.close();
  }
});
