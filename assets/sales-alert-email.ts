/**
 * `sales_alert_email`: sends the alert, at most once per partition (`--force` sends again), and
 * stores the receipt: message id, recipients, transport and time. With no SMTP_URL the message is
 * written as an `.eml` file into the outbox and nothing leaves the machine. Once the run is
 * cancelled no email starts.
 */
import { valueAsset } from 'duckdag';
import { dailySnapshot } from './daily-snapshot.ts';
import { emailBody } from './email-body.ts';
import type { SentEmail } from './email/mail-transport.ts';
import { mail, settings } from './pipeline-resources.ts';

export const salesAlertEmail = valueAsset({
  name: 'sales_alert_email',
  ...dailySnapshot,
  tags: { layer: 'delivery', side_effect: 'email' },
  description: 'Sends the alert to ALERT_EMAIL_TO once per day, over SMTP_URL or into the outbox.',
  deps: { body: emailBody },
  resources: { mail, settings },
  retry: { attempts: 3, delayMs: 10_000 },
  compute: async ({ body }, context): Promise<SentEmail> => {
    const previous = await context.previousValue();
    if (previous !== null && !context.force) {
      context.log(`already sent for ${context.partitionKey} (message ${previous.messageId}); --force sends it again`);
      context.addMetadata({ sent: false, reason: 'already sent for this partition' });
      return previous;
    }
    const { emailFrom, emailTo } = context.resources.settings;
    const receipt = await context.resources.mail.send(
      { from: emailFrom, to: emailTo, subject: body.subject, html: body.html, text: body.text, fileStem: body.partitionKey },
      { signal: context.signal },
    );
    context.log(`sent to ${receipt.accepted.join(', ')} via ${receipt.transport}`);
    context.addMetadata({ sent: true });
    return receipt;
  },
});
