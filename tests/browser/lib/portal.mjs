// Helpers of the portal's browser tests: the staff API over fetch, and the
// car owner's one-time login code read from Mailpit.
import assert from 'node:assert/strict';
import { BASE } from './torque.mjs';

/** api calls Torque's REST API; the answer is {status, json, text}. */
export async function api(method, path, token, body) {
  const r = await fetch(BASE + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

/** must asserts the status of an api call and returns its JSON. */
export async function must(status, p) {
  const r = await p;
  assert.equal(r.status, status, r.text);
  return r.json;
}

/**
 * loginCode waits for the portal's code e-mail to email in Mailpit and
 * returns the code. Only the code e-mail counts (order messages may reach the
 * same address); the code stands on a line of its own, and runId (which may
 * be all digits and is part of the workshop's name) never counts as one.
 */
export async function loginCode(email, runId) {
  const mailpit = process.env.TORQUE_MAILPIT_URL || 'http://127.0.0.1:8025';
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${mailpit}/api/v1/search?limit=5&query=${encodeURIComponent(`to:"${email}"`)}`);
    const list = (r.ok ? (await r.json()).messages || [] : []).filter((m) => (m.Subject || '').includes('código de acesso'));
    if (list.length) {
      const m = await (await fetch(`${mailpit}/api/v1/message/${list[0].ID}`)).json();
      const code = (m.Text.match(/^\s*(\d{6})\s*$/m) || m.Text.replaceAll(runId, '').match(/(?:^|\D)(\d{6})(?:\D|$)/) || [])[1];
      assert.ok(code, 'the e-mail holds a 6-digit code:\n' + m.Text);
      return code;
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error('no login code e-mail for ' + email);
}
