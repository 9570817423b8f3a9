import { requireEnv } from '../config/env';

export interface MailTransportOptions {
  host: string;
  port: number;
  auth: { user: string; pass: string };
}

// Correct: credentials come from the environment, and start-up fails without them.
export const transactionalMail: MailTransportOptions = {
  host: 'smtp.acme-shop.test',
  port: 587,
  auth: { user: 'orders@acme-shop.test', pass: requireEnv('SMTP_PASSWORD') },
};

// Pitfall: the marketing relay's password sits in the source.
export const marketingMail: MailTransportOptions = {
  host: 'relay.newsletters.test',
  port: 587,
  auth: { user: 'acme-marketing', pass: 'tR7#kP2v!Lm9@qZ4' },
};
