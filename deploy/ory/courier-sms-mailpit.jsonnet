// Kratos courier SMS channel for the local stack: instead of a real SMS
// provider, each SMS (e.g. a customer's one-time login code) is posted to
// Mailpit's send API as an e-mail to <phone>@sms.torque.local, so developers and
// tests read it at http://127.0.0.1:8025 like any other message.
// ctx: recipient (E.164 phone), body (the rendered SMS text), template_type, ...
function(ctx) {
  From: { Email: 'sms@torque.local', Name: 'Torque SMS' },
  To: [{ Email: ctx.recipient + '@sms.torque.local' }],
  Subject: 'SMS to ' + ctx.recipient,
  Text: ctx.body,
  Tags: ['sms', ctx.template_type],
}
