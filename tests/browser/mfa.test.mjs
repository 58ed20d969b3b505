// Second factors and recent sign-ins in the back office (issue 10 item 4):
// a privileged action (erasing a customer) with a sign-in older than
// TORQUE_PRIVILEGED_SESSION_MAX_AGE asks for the password again ("Por
// segurança, confirme sua senha para continuar") and returns to the page, where
// the action then succeeds; the owner enrols TOTP on "Minha conta" (the code
// computed here from the secret the page shows, RFC 6238) and requires it of
// the whole team (an old sign-in is then confirmed with the code); a manager
// without TOTP is then sent to enrol it before
// anything else in the workshop, and gets in once enrolled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { start, newPage, shot, uniq, BASE } from './lib/torque.mjs';

const AGE_SECONDS = 30;
let sys;
before(async () => { sys = await start({ extraEnv: { TORQUE_PRIVILEGED_SESSION_MAX_AGE: `${AGE_SECONDS}s` } }); });
after(async () => { if (sys) await sys.stop(); });

const PASSWORD = 'senha-forte-2026';
const id = uniq();
const slug = `oficina-mfa-${id}`;
const ownerEmail = `dono-mfa-${id}@example.com`;
const managerEmail = `gerente-mfa-${id}@example.com`;

/** totp is RFC 6238's code (SHA-1, 30 s, 6 digits) of a base32 secret. */
export function totp(secret, now = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const off = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function call(base, method, path, token, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
const api = (...a) => call(BASE, ...a);
const kratosAdmin = (...a) => call(sys.kratosAdmin, ...a);

/** signIn fills Torque's login page (a Kratos flow) with a password. */
async function signIn(page, email) {
  await page.goto(BASE + '/login');
  await page.waitForURL(/\/login\?flow=/);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

/** enrolTOTP completes the account page's TOTP form and returns the secret. */
async function enrolTOTP(page) {
  const secret = (await page.locator('#totp-secret').textContent()).trim();
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  assert.ok(await page.locator('img.totp-qr').isVisible(), 'the QR code is shown');
  await page.getByLabel('Código do aplicativo autenticador').fill(totp(secret));
  await page.getByRole('button', { name: 'Ativar verificação em duas etapas' }).click();
  return secret;
}

test('MFA: re-authentication, TOTP enrolment, required for the team', async () => {
  // A workshop whose owner's address is verified (to invite), a customer,
  // and a manager account (verified) the owner adds.
  await api('POST', '/api/v1/signup', '', {
    workshop_name: `Auto Center MFA ${id}`, slug, plan: 'pro',
    owner: { name: 'Marta Dona', email: ownerEmail, password: PASSWORD },
  });
  const [owner] = await kratosAdmin('GET', `/admin/identities?credentials_identifier=${encodeURIComponent(ownerEmail)}`);
  await kratosAdmin('PATCH', `/admin/identities/${owner.id}`, '', [
    { op: 'replace', path: '/verifiable_addresses/0/verified', value: true },
    { op: 'replace', path: '/verifiable_addresses/0/status', value: 'completed' },
  ]);
  await kratosAdmin('POST', '/admin/identities', '', {
    schema_id: 'staff', traits: { email: managerEmail, name: 'Gilberto Gerente' },
    credentials: { password: { config: { password: PASSWORD } } },
    verifiable_addresses: [{ value: managerEmail, via: 'email', verified: true, status: 'completed' }],
  });
  const { session_token: token } = await api('POST', '/api/v1/auth/login', '', { email: ownerEmail, password: PASSWORD });
  const ws = (p) => `/api/v1/workshops/${slug}${p}`;
  await api('POST', ws('/staff'), token, { name: 'Gilberto Gerente', email: managerEmail, role: 'manager' });
  const customer = await api('POST', ws('/customers'), token, { name: 'Helena Apagável', email: `helena-${id}@example.com` });

  const { context, page } = await newPage(sys.browser);
  const missing = [];
  page.on('response', (r) => { if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`); });
  try {
    // 1. An old sign-in may not erase: the password is asked again, and
    // the person comes back to the customer's page, where erasing works.
    await signIn(page, ownerEmail);
    await page.waitForURL(new RegExp(`/app/${slug}/`));
    await page.waitForTimeout((AGE_SECONDS + 2) * 1000);
    const customerPage = `${BASE}/app/${slug}/customers/${customer.id}`;
    await page.goto(customerPage);
    await page.getByRole('link', { name: 'Excluir dados pessoais' }).click();
    await page.waitForURL(/\/login\?flow=/);
    await page.getByText('Por segurança, confirme sua senha para continuar').waitFor();
    assert.equal(await page.getByLabel('E-mail').inputValue(), ownerEmail);
    await shot(page, 'mfa-01-reauthenticate');
    await page.getByLabel('Senha').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.waitForURL(customerPage);
    await page.getByRole('link', { name: 'Excluir dados pessoais' }).click();
    await page.getByLabel(/Para confirmar, digite o nome do cliente/).fill('Helena Apagável');
    await page.getByRole('button', { name: 'Excluir definitivamente' }).click();
    await page.getByText('Dados pessoais excluídos.').waitFor();

    // 2. The owner enrols TOTP on "Minha conta".
    await page.getByRole('link', { name: 'Minha conta' }).click();
    await page.waitForURL(/\/settings\/account\?flow=/);
    await page.getByRole('heading', { name: 'Verificação em duas etapas' }).waitFor();
    await shot(page, 'mfa-02-enrol');
    const ownerSecret = await enrolTOTP(page);
    await page.getByText('A verificação em duas etapas está ativa').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Desativar verificação em duas etapas' }).isVisible());

    // 3. ... and requires it of the whole team.
    await page.goto(`${BASE}/app/${slug}/settings`);
    await page.getByLabel('Exigir verificação em duas etapas para toda a equipe').check();
    await page.getByLabel('Exigir verificação em duas etapas para toda a equipe').locator('xpath=ancestor::form').getByRole('button', { name: 'Aplicar à equipe' }).click();
    await page.getByText('Política de verificação em duas etapas salva.').waitFor();
    assert.ok(await page.getByLabel('Exigir verificação em duas etapas para toda a equipe').isChecked());
    await shot(page, 'mfa-03-required');

    // 3b. With a second factor, an old sign-in is confirmed with the code:
    // changing the manager's role sends the owner to the code, then back to
    // the team page, where the change goes through.
    await page.waitForTimeout((AGE_SECONDS + 2) * 1000);
    await page.goto(`${BASE}/app/${slug}/staff`);
    const row = page.locator('tr', { hasText: managerEmail });
    await row.locator('select').selectOption('advisor');
    await row.getByRole('button', { name: 'Salvar' }).click();
    await page.waitForURL(/\/login\?flow=/);
    await page.getByText('Por segurança, confirme o código do seu aplicativo autenticador para continuar').waitFor();
    await page.getByLabel('Código do aplicativo autenticador').fill(totp(ownerSecret));
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.waitForURL(`${BASE}/app/${slug}/staff`);
    await row.locator('select').selectOption('advisor');
    await row.getByRole('button', { name: 'Salvar' }).click();
    await page.getByText('Papel alterado.').waitFor();
    assert.deepEqual(page.consoleErrors.filter((e) => !/status of 404/.test(e)), [], 'no console errors (CSP, scripts)');
  } catch (e) {
    await shot(page, 'mfa-failed-owner');
    throw new Error(`${e.message} (at ${page.url()}; missing: ${missing.join(', ')})`);
  } finally {
    await context.close();
  }

  // 4. The manager (no TOTP) signs in and is sent to enrol it: nothing else
  // in the workshop opens until then.
  const m = await newPage(sys.browser);
  try {
    await signIn(m.page, managerEmail);
    await m.page.waitForURL(/\/settings\/account\?flow=/);
    await m.page.getByText('Esta oficina exige verificação em duas etapas').waitFor();
    await m.page.goto(`${BASE}/app/${slug}/customers`);
    await m.page.waitForURL(/\/settings\/account\?flow=/);
    await m.page.getByText('Esta oficina exige verificação em duas etapas').waitFor();
    await shot(m.page, 'mfa-04-forced-enrol');
    await enrolTOTP(m.page);
    // Back to the workshop (Kratos's return_to), or still on the account
    // page: either way the workshop now opens.
    await m.page.waitForLoadState();
    await m.page.goto(`${BASE}/app/${slug}/customers`);
    await m.page.waitForURL(new RegExp(`/app/${slug}/customers`));
    await m.page.getByRole('heading', { name: 'Clientes' }).first().waitFor();
    assert.deepEqual(m.page.consoleErrors.filter((e) => !/status of 404/.test(e)), []);
  } catch (e) {
    await shot(m.page, 'mfa-failed-manager');
    throw new Error(`${e.message} (at ${m.page.url()})`);
  } finally {
    await m.context.close();
  }
});
