/**
 * `sales_alert_email`: sends the alert, at most once per partition (`--force` sends again), and
 * stores the receipt: message id, recipients, transport and time. With no SMTP_URL the message is
 * written as an `.eml` file into the outbox and nothing leaves the machine.
 */
import type { ValueAssetDefinition } from '../core/asset-definition.ts';
import { valueAsset } from '../core/value-asset.ts';
import type { EmailBody } from './email-body.ts';
import { createMailTransport, type SentEmail } from './email/mail-transport.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import { dailySnapshot } from './daily-snapshot.ts';

export function salesAlertEmailAsset(settings: PipelineSettings, emailBody: ValueAssetDefinition<EmailBody>) {
  const transport = createMailTransport({
    smtpUrl: settings.smtpUrl,
    outboxDir: settings.outboxDir,
    allowPlaintextPassword: settings.smtpAllowPlaintextPassword,
  });
  return valueAsset({
    name: 'sales_alert_email',
    ...dailySnapshot,
    tags: { layer: 'delivery', side_effect: 'email' },
    description: 'Sends the alert to ALERT_EMAIL_TO once per day, over SMTP_URL or into the outbox.',
    deps: { body: emailBody },
    retry: { attempts: 3, delayMs: 10_000 },
    compute: async ({ body }, context): Promise<SentEmail> => {
      const previous = await context.previousValue();
      if (previous !== null && !context.force) {
        context.log(`already sent for ${context.partitionKey} (message ${previous.messageId}); --force sends it again`);
        context.addMetadata({ sent: false, reason: 'already sent for this partition' });
        return previous;
      }
      const receipt = await transport.send({
        from: settings.emailFrom,
        to: settings.emailTo,
        subject: body.subject,
        html: body.html,
        text: body.text,
        fileStem: body.partitionKey,
      });
      context.log(`sent to ${receipt.accepted.join(', ')} via ${receipt.transport}`);
      context.addMetadata({ sent: true });
      return receipt;
    },
  });
}
