/**
 * An smtp:// URL with a password, to a server that would not start TLS: the password is not sent,
 * and the failure says how to send it safely, or knowingly in the clear.
 */
import { AssetFailure, describeError } from 'duckdag';

/** The name of the setting that lets a password go over an unencrypted connection. */
export const ALLOW_PLAINTEXT_PASSWORD = 'SMTP_ALLOW_PLAINTEXT_PASSWORD';

/** Whether nodemailer gave up because the connection could not be encrypted. */
export function isTlsFailure(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ETLS';
}

export function plaintextPasswordRefused(description: string, cause: unknown): AssetFailure {
  return new AssetFailure(
    `sending email via ${description} failed: the server did not start TLS (${describeError(cause)}), ` +
      'so the password in SMTP_URL was not sent. Use smtps:// or a server that offers STARTTLS, ' +
      `or set ${ALLOW_PLAINTEXT_PASSWORD}=true to send it unencrypted.`,
    { cause, retryable: false },
  );
}
