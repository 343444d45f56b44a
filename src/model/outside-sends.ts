// Library calls that send something a second call sends again, whichever language calls them:
// an email (SMTP, Resend, SendGrid, Postmark, Mailgun, the Gmail API, SES), a text message
// (Twilio), or a paid generation job (a Replicate prediction, a fal request). The provider keeps no
// memory of an earlier call unless the call passes an idempotency key (read by the caller), so a
// retried activity that makes the call again sends a second email, a second message, or starts and
// pays for a second prediction. Read by activity-retry-repeats-side-effect for TypeScript
// (repeated-side-effects.ts) and Python (python-repeated-creates.ts), after each has followed the
// activity into the project's own wrappers (`ReplicateClient.run`, a mailer module's `send_email`).
//
// The call is described by its parts as written, made language-neutral by the caller:
// - `method`: the name called (`send`, `async_create`);
// - `receiver`: the expression it is called on, with call parentheses dropped
//   (`service.users().messages()` becomes `service.users.messages`), or '' for a plain function;
// - `imports`: whether the calling file imports a package (`replicate`, `twilio`).

export interface OutsideSend {
  /** What one call sends: "an email", "a text message", "a paid prediction". */
  what: string;
  /** The provider or protocol: "SMTP", "Resend", "Replicate". */
  service: string;
}

export interface SendCall {
  method: string;
  receiver: string;
  /** The first argument as written (`new SendEmailCommand(...)` for SES's `client.send(...)`). */
  firstArgument?: string;
  imports: (pkg: RegExp) => boolean;
}

const EMAIL = 'an email';
const SMS = 'a text message';
const PREDICTION = 'a paid prediction';

/** The last segment of the receiver (`messages` of `client.messages`) and the whole, lower-cased. */
function segments(receiver: string): { last: string; all: string[] } {
  const all = receiver.split('.').filter(Boolean);
  return { last: all[all.length - 1] ?? '', all };
}

export function outsideSend(call: SendCall): OutsideSend | undefined {
  const { method, receiver } = call;
  const { last, all } = segments(receiver);
  const root = all[0] ?? '';
  const named = (pattern: RegExp) => all.some((segment) => pattern.test(segment));
  // Email.
  if (/^(sendmail|send_message|sendMail|send_mail)$/.test(method) && named(/smtp|mailer|transport/i)) return { what: EMAIL, service: 'SMTP' };
  if (method === 'sendMail' && receiver !== '') return { what: EMAIL, service: 'SMTP' };
  if (/^(send|send_async)$/.test(method) && /^emails$/i.test(last)) return { what: EMAIL, service: /postmark/i.test(receiver) ? 'Postmark' : 'Resend' };
  if (/^(send|sendMultiple|send_multiple)$/.test(method) && (/^(sgMail|sg|sendgrid\w*|sendGrid\w*)$/i.test(last) || named(/^_?sendgrid/i))) return { what: EMAIL, service: 'SendGrid' };
  if (method === 'send' && last === 'messages' && all[all.length - 2] === 'users') return { what: EMAIL, service: 'the Gmail API' };
  if (/^(send_email|send_raw_email|send_templated_email|send_bulk_templated_email)$/.test(method) && named(/^_?(ses|sesv2|ses_client|ses_v2)$/i)) return { what: EMAIL, service: 'SES' };
  if (method === 'send' && call.firstArgument !== undefined && /^new\s+(SendEmailCommand|SendRawEmailCommand|SendTemplatedEmailCommand|SendBulkEmailCommand|SendBulkTemplatedEmailCommand)\b/.test(call.firstArgument)) return { what: EMAIL, service: 'SES' };
  if (method === 'create' && last === 'messages' && (named(/mailgun|^mg$/i) || call.imports(/mailgun/))) return { what: EMAIL, service: 'Mailgun' };
  // Text messages.
  if (method === 'create' && last === 'messages' && (named(/twilio/i) || call.imports(/^twilio/))) return { what: SMS, service: 'Twilio' };
  // Paid generation jobs: the provider runs (and bills) each one it is asked to start.
  if (/^(create|async_create|create_async)$/.test(method) && last === 'predictions' && (named(/replicate/i) || call.imports(/^replicate$/))) return { what: PREDICTION, service: 'Replicate' };
  if (/^(run|async_run|stream|async_stream)$/.test(method) && /^replicate$/i.test(root) && all.length === 1) return { what: PREDICTION, service: 'Replicate' };
  if (/^(submit|submit_async|subscribe|subscribe_async|run|run_async)$/.test(method) && /^(fal|fal_client)$/.test(root) && all.length === 1) return { what: 'a paid generation request', service: 'fal' };
  if (method === 'submit' && receiver === 'fal.queue') return { what: 'a paid generation request', service: 'fal' };
  return undefined;
}

/** Conditions that test whether the thing was already sent or done: the code looks before it sends again. */
export const ALREADY_DONE = /\b\w*(sent|already|existing|exists|processed|delivered|notified|dedup\w*|seen|emailed|done)\w*\b/i;
