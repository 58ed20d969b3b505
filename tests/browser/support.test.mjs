// "Atendimento" in headless Chromium: the help-centre editor with its
// preview (hostile Markdown renders inert), the pt-BR default articles, the
// ticket board, and the staff inbox's live chat over the WebSocket (a
// message sent in the page comes back through Postgres NOTIFY and stays
// after a reload).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { start, newPage, shot, login, uniq, BASE } from './lib/torque.mjs';

let sys;
before(async () => { sys = await start(); });
after(async () => { if (sys) await sys.stop(); });

const PASSWORD = 'senha-forte-2026';
const id = uniq();
const slug = `oficina-sup-${id}`;
const ownerEmail = `dono-sup-${id}@example.com`;

async function signup() {
  const res = await fetch(BASE + '/api/v1/signup', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ workshop_name: `Auto Center ${id}`, slug, plan: 'pro',
      owner: { name: 'Maria Dona', email: ownerEmail, password: PASSWORD } }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, body);
  return JSON.parse(body).workshop.id;
}

test('support: article editor with preview, ticket board, live chat in the inbox', async () => {
  const workshopID = await signup();
  const { context, page } = await newPage(sys.browser);
  try {
    await login(page, ownerEmail, PASSWORD);

    // The new workshop shows once its read model caught up (a busy machine
    // may take a while); the 404s until then are not this test's concern.
    for (let i = 0; ; i++) {
      await page.goto(`${BASE}/app/${slug}/`);
      if (await page.getByRole('link', { name: 'Atendimento' }).count()) break;
      assert.ok(i < 60, 'the workshop never became visible');
      await page.waitForTimeout(1000);
    }
    page.consoleErrors.length = 0;

    // The nav leads to "Atendimento": empty inbox, ticket board columns.
    await page.getByRole('link', { name: 'Atendimento' }).click();
    await page.getByRole('heading', { name: 'Atendimento', level: 1 }).waitFor();
    assert.match(await page.locator('main').textContent(), /Nenhuma conversa ainda/);
    for (const col of ['Aberto', 'Em atendimento', 'Aguardando cliente', 'Resolvido', 'Fechado']) {
      await page.getByRole('heading', { name: new RegExp(col) }).waitFor();
    }
    await shot(page, 'support-01-inbox');

    // The help centre starts with the pt-BR defaults.
    await page.getByRole('link', { name: 'Central de ajuda' }).first().click();
    await page.getByRole('link', { name: 'Com que frequência trocar o óleo?' }).waitFor();
    await page.getByRole('link', { name: 'O que é alinhamento e balanceamento?' }).waitFor();

    // A new article: the preview renders Markdown and leaves scripts inert.
    await page.getByRole('link', { name: 'Novo artigo' }).click();
    await page.getByLabel('Tipo').selectOption('tutorial');
    await page.getByLabel('Título').fill('Como trocar a palheta');
    await page.getByLabel('Texto (Markdown)').fill(
      'Troque a **palheta** a cada 6 meses.\n\n<script>window.__xss = 1</script>\n\n[clique](javascript:window.__xss=2)\n\n<img src="/static/support.css" onerror="window.__xss=3">');
    await page.getByRole('button', { name: 'Pré-visualizar' }).click();
    const preview = page.locator('#preview');
    await preview.waitFor();
    assert.equal(await preview.locator('strong').textContent(), 'palheta');
    assert.equal(await preview.locator('script').count(), 0);
    assert.equal(await preview.locator('[onerror]').count(), 0);
    assert.equal(await preview.locator('a[href^="javascript"]').count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    // The form kept what was typed.
    assert.equal(await page.getByLabel('Título').inputValue(), 'Como trocar a palheta');
    await shot(page, 'support-02-preview');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Artigo salvo.').waitFor();
    await page.getByRole('link', { name: 'Como trocar a palheta' }).waitFor();

    // A blank title is refused beside its field.
    await page.getByRole('link', { name: 'Novo artigo' }).click();
    await page.getByLabel('Texto (Markdown)').fill('sem título');
    await page.getByRole('button', { name: 'Salvar' }).click();
    await page.locator('.field.has-error #f-title').waitFor();

    // Live chat: a conversation of a customer (the portal that opens them
    // is another issue's), answered from the inbox over the WebSocket.
    const conv = randomUUID();
    execFileSync('psql', [sys.env.TORQUE_DATABASE_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-c',
      `INSERT INTO support_conversations (tenant_id, conversation_id, customer_id, created_at, last_message_at)
       VALUES ('${workshopID}', '${conv}', '${randomUUID()}', now(), now())`], { stdio: ['ignore', 'ignore', 'inherit'] });
    await page.goto(`${BASE}/app/${slug}/support`);
    await page.getByRole('link', { name: 'Abrir conversa' }).click();
    await page.locator('#chat[data-connected="true"]').waitFor();
    await page.getByLabel('Escreva uma mensagem').fill('Olá! Seu carro fica pronto às 17h.');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.locator('#chat-log .from-staff', { hasText: 'Seu carro fica pronto às 17h.' }).waitFor();
    await shot(page, 'support-03-chat');
    await page.reload();
    await page.locator('#chat-log .from-staff', { hasText: 'Seu carro fica pronto às 17h.' }).waitFor();
    assert.equal(await page.locator('#chat-log li').count(), 1, 'the message is stored once and shown once');

    // The refused form answers 422 on purpose; anything else is a defect.
    const errors = page.consoleErrors.filter((e) => !e.includes('status of 422'));
    assert.deepEqual(errors, [], 'no console errors (CSP violations show there)');
  } catch (e) {
    await shot(page, 'failure-support').catch(() => {});
    console.log('page:', page.url(), '\n', (await page.locator('main').textContent().catch(() => '')).slice(0, 800));
    console.log('server log tail:\n' + sys.logs.join('').slice(-2500));
    throw e;
  } finally {
    await context.close();
  }
});
