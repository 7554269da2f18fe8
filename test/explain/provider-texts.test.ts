/**
 * The catalogue against replies as the big providers and the common servers
 * send them (Gmail, Microsoft 365 / Outlook.com, Exchange on-premises,
 * Yahoo / AOL, Postfix, Exim, Sendmail, Dovecot), with documentation
 * addresses and IPs. Each case names the pattern that must explain it (or
 * none, when a code decides) and what the explanation must say: a key phrase
 * of the meaning and of the fix in every case, of the cause where the point is
 * the cause, and what it must not say where the old explanation was wrong
 * (issue 16 item 5). The command is given where the answer depends on it.
 */
import { describe, expect, it } from 'vitest';
import { explainReply, parseReplyLine, type Explanation, type Lang } from '../../src/explain/index.js';

interface Expect {
  /** The pattern id that must explain the reply, or null when the codes do. */
  pattern: string | null;
  /** The command the reply answered, where it matters. */
  command?: string;
  /** Must be found in the meaning, cause and fix (the pattern's own phrases when not given here). */
  meaning?: RegExp;
  cause?: RegExp;
  fix?: RegExp;
  /** Must not be found in meaning + cause + fix. */
  not?: RegExp;
  temporary?: boolean;
  /** Must be found in the Chinese meaning + cause + fix. */
  zh?: RegExp;
}

/** What every explanation by a pattern must say, in a few words: the meaning and the fix in kind. */
const SAYS: Record<string, { meaning: RegExp; fix: RegExp }> = {
  'auth-failed': { meaning: /login failed/i, fix: /password/i },
  'auth-temporary': { meaning: /server-side authentication problem/i, fix: /do not change the password.*retry/i },
  'auth-required': { meaning: /authentication required/i, fix: /SMTP authentication/i },
  'auth-not-offered': { meaning: /authentication not offered/i, fix: /587.*STARTTLS/i },
  'basic-auth-disabled': { meaning: /switched off by the provider/i, fix: /OAuth/ },
  'app-password-required': { meaning: /app password/i, fix: /app password/i },
  'login-disabled-until-tls': { meaning: /encrypted/i, fix: /TLS/ },
  'starttls-required': { meaning: /STARTTLS/, fix: /STARTTLS/ },
  'tls-unavailable': { meaning: /cannot start TLS/i, fix: /certificate/i },
  'too-many-auth-failures': { meaning: /too many failed logins or errors/i, fix: /password guessing/i },
  'mailbox-in-use': { meaning: /locked by another session/i, fix: /close the other clients/i },
  'user-connection-limit': { meaning: /too many connections for this account/i, fix: /close the clients/i },
  'sender-login-mismatch': { meaning: /not allowed to send as/i, fix: /logged-in account/i },
  'relay-denied': { meaning: /relaying denied/i, fix: /authenticate/i },
  'relay-denied-no-rdns': { meaning: /reverse DNS/i, fix: /access db|SMTP AUTH/i },
  'lookup-failure': { meaning: /could not look something up/i, fix: /retried.*lookup error/i },
  'local-problem': { meaning: /temporary problem on the receiving server/i, fix: /retries by itself/i },
  'greylisting': { meaning: /greylisting/i, fix: /retries and the message arrives/i },
  'ip-reputation': { meaning: /poor reputation/i, fix: /stop any spam source/i },
  'complaints-deferred': { meaning: /complaints/i, fix: /retry.*opted in/i },
  'rate-limited': { meaning: /rate limited/i, fix: /lower concurrency/i },
  'helo-rejected': { meaning: /HELO\/EHLO name rejected/i, fix: /FQDN/ },
  'reverse-dns': { meaning: /reverse DNS/i, fix: /PTR/ },
  'dynamic-ip': { meaning: /dynamic or residential/i, fix: /relay \(smarthost\)/i },
  'dnsbl': { meaning: /blocklist/i, fix: /delisting/i },
  'sender-verify-failed': { meaning: /sender address failed verification/i, fix: /real address that accepts replies/i },
  'administrative-prohibition': { meaning: /local rule/i, fix: /which rule refused it/i },
  'sender-domain-unresolved': { meaning: /sender domain does not resolve/i, fix: /public DNS/i },
  'mail-loop': { meaning: /mail loop/i, fix: /Received headers/i },
  'spf': { meaning: /SPF check failed/i, fix: /SPF TXT record/i },
  'dmarc': { meaning: /DMARC/, fix: /DKIM/ },
  'sender-unauthenticated': { meaning: /sender authentication/i, fix: /SPF.*DKIM/ },
  'policy-rejected': { meaning: /policy reasons/i, fix: /Authentication-Results/ },
  'virus': { meaning: /virus/i, fix: /scan/i },
  'spam': { meaning: /spam/i, fix: /SPF\/DKIM\/DMARC/ },
  'bad-sequence': { meaning: /out of order/i, fix: /HELO\/EHLO, MAIL, RCPT, DATA/ },
  'unknown-command': { meaning: /command not recognised/i, fix: /announces/i },
  'too-many-recipients': { meaning: /too many recipients/i, fix: /batches/i },
  'server-resources': { meaning: /disk space or resources/i, fix: /frees space/i },
  'message-too-big': { meaning: /too big/i, fix: /smaller message/i },
  'mailbox-full': { meaning: /mailbox full/i, fix: /quota/i },
  'mailbox-disabled': { meaning: /disabled/i, fix: /re-enable/i },
  'unknown-user': { meaning: /recipient does not exist/i, fix: /typos/i },
  'connection-timeout': { meaning: /timed out or dropped/i, fix: /retries by itself/i },
  'bare-lf': { meaning: /bare line feed/i, fix: /CRLF/ },
  'idle-timeout': { meaning: /idle/i, fix: /IDLE|NOOP/ },
  'deferred-try-later': { meaning: /temporarily deferred/i, fix: /retry/i },
};

const CASES: [provider: string, reply: string, expect: Expect][] = [
  // Gmail
  ['Gmail', '550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to\n550-5.7.26 authenticate with either SPF or DKIM.\n550-5.7.26\n550-5.7.26  Authentication results:\n550-5.7.26  DKIM = did not pass\n550-5.7.26  SPF [example.com] with ip: [192.0.2.1] = did not pass\n550 5.7.26 For instructions on setting up authentication, go to https://support.google.com/mail/answer/81126#authentication - gsmtp', { pattern: 'sender-unauthenticated', temporary: false }],
  ['Gmail', "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n550-5.7.26 DMARC policy. Please contact the administrator of example.com domain if\n550 5.7.26 this was a legitimate mail. - gsmtp", { pattern: 'dmarc' }],
  ['Gmail', '550-5.7.27 This mail has been blocked because SPF does not pass for the sender\n550 5.7.27 domain example.com. - gsmtp', { pattern: 'spf' }],
  ['Gmail', '421-4.7.0 [192.0.2.1      15] Our system has detected an unusual rate of\n421-4.7.0 unsolicited mail originating from your IP address. To protect our\n421-4.7.0 users from spam, mail sent from your IP address has been temporarily\n421-4.7.0 rate limited. Please visit\n421-4.7.0  https://support.google.com/mail/?p=UnsolicitedRateLimitError to\n421 4.7.0 review our Bulk Email Senders Guidelines. - gsmtp', { pattern: 'rate-limited', temporary: true }],
  ['Gmail', '421-4.7.28 [192.0.2.1] Gmail has detected an unusual rate of unsolicited mail originating from your IP\n421 4.7.28 address. To protect our users from spam, mail sent from your IP has been temporarily rate limited. - gsmtp', { pattern: 'rate-limited', temporary: true }],
  ['Gmail', '452-4.2.2 The recipient\'s inbox is out of storage space. Please direct the\n452-4.2.2 recipient to\n452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp - gsmtp', { pattern: 'mailbox-full', temporary: true }],
  ['Gmail', "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550-5.1.1 unnecessary spaces. For more information, go to\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser - gsmtp", { pattern: 'unknown-user', temporary: false }],
  ['Gmail', '550-5.7.25 [192.0.2.1] The IP address sending this message does not\n550-5.7.25 have a PTR record setup, or the corresponding forward DNS entry does\n550 5.7.25 not point to the sending IP. - gsmtp', { pattern: 'reverse-dns' }],
  ['Gmail', "421-4.7.0 [192.0.2.1] The IP you're using to send mail is not authorized to\n421-4.7.0 send email directly to our servers. Please use the SMTP relay at your\n421-4.7.0 service provider instead. For more information, go to\n421 4.7.0  https://support.google.com/mail/?p=NotAuthorizedError - gsmtp", { pattern: 'dynamic-ip', cause: /end-user addresses/i, fix: /relay/i, not: /greylist|rate limit/i, zh: /中继/ }],
  ['Gmail', "550-5.7.1 [192.0.2.1] Gmail has detected that this message is not authorized to send directly\n550 5.7.1 to Gmail servers. Please use the SMTP relay at your service provider instead. - gsmtp", { pattern: 'dynamic-ip', temporary: false }],
  ['Gmail', '535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials - gsmtp', { pattern: 'auth-failed', command: 'AUTH' }],
  ['Gmail', '534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp', { pattern: 'app-password-required', command: 'AUTH', not: /policy/i }],
  ['Gmail', '530 5.7.0 Must issue a STARTTLS command first. 4si123456wmf.1 - gsmtp', { pattern: 'starttls-required', command: 'MAIL' }],
  ['Gmail', "552-5.2.3 Your message exceeded Google's message size limits. Please visit\n552 5.2.3  https://support.google.com/mail/?p=MaxSizeError - gsmtp", { pattern: 'message-too-big' }],
  ['Gmail', '550-5.7.1 [192.0.2.1] Our system has detected that this message is likely\n550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, this message\n550 5.7.1 has been blocked. - gsmtp', { pattern: 'spam' }],
  ['Gmail', '552-5.7.0 This message was blocked because its content presents a potential\n552-5.7.0 security issue. Please visit\n552 5.7.0  https://support.google.com/mail/?p=BlockedMessage - gsmtp', { pattern: 'virus' }],
  ['Gmail', '452-4.5.3 Your message has too many recipients. For more information regarding\n452 4.5.3 Google\'s sending limits, go to https://support.google.com/mail/?p=TooManyRecipientsError - gsmtp', { pattern: 'too-many-recipients', temporary: true }],
  ['Gmail', '550-5.2.1 The email account that you tried to reach is inactive.\n550 5.2.1 https://support.google.com/mail/?p=DisabledUser - gsmtp', { pattern: 'mailbox-disabled' }],
  ['Gmail', '450-4.2.1 The user you are trying to contact is receiving mail at a rate that\n450 4.2.1 prevents additional messages from being delivered. - gsmtp', { pattern: 'rate-limited', temporary: true }],
  ['Gmail', '454-4.7.0 Too many login attempts, please try again later. For more information, go to\n454 4.7.0 https://support.google.com/mail/?p=LoginTooManyAttempts - gsmtp', { pattern: 'too-many-auth-failures', command: 'AUTH' }],
  ['Gmail IMAP', 'a1 NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)', { pattern: 'app-password-required', command: 'LOGIN' }],
  ['Gmail IMAP', 'a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)', { pattern: 'auth-failed', command: 'LOGIN' }],

  // Microsoft 365 / Outlook.com
  ['Microsoft 365', '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7708) [BN8NAM11FT012.eop-nam11.prod.protection.outlook.com]', { pattern: 'ip-reputation', cause: /reputation system \(not a public blocklist\)/, fix: /sender\.office\.com/, not: /user name|mailbox/i, temporary: false, zh: /信誉/ }],
  ['Microsoft 365', '550 5.7.705 Access denied, tenant has exceeded threshold. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(831)', { pattern: 'ip-reputation', fix: /Microsoft support/ }],
  ['Outlook.com', '451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://aka.ms/postmaster (S775) [AMS0EPF0000019C.eurprd05.prod.outlook.com]', { pattern: 'ip-reputation', fix: /retried by itself.*reputation recovers/, not: /lower concurrency/i, temporary: true, zh: /信誉/ }],
  ['Outlook.com', '451 4.7.651 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S3114)', { pattern: 'ip-reputation', temporary: true }],
  ['Microsoft 365', '550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)', { pattern: 'dnsbl' }],
  ['Microsoft 365', '550 5.7.511 Access denied, banned sender[192.0.2.1]. To request removal from this list, forward this message to delist@microsoft.com. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653. AS(1420)', { pattern: 'dnsbl' }],
  ['Outlook.com', "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [BN8NAM12FT066.eop-nam12.prod.protection.outlook.com]", { pattern: 'dnsbl' }],
  ['Microsoft 365', '550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [AM0PR01MB0001.eurprd01.prod.exchangelabs.com]', { pattern: 'unknown-user', cause: /Directory-Based Edge Blocking/ }],
  ['Microsoft 365', '554 5.4.14 Hop count exceeded - possible mail loop ATTR34 [DB5EUR01FT001.eop-EUR01.prod.protection.outlook.com]', { pattern: 'mail-loop', cause: /going round in circles/, fix: /connector/, not: /relay denied|blocklist/i, zh: /环路/ }],
  ['Microsoft 365', '530 5.7.57 Client not authenticated to send mail. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com 2026-01-01T00:00:00.000Z 08DB00000000000]', { pattern: 'auth-required', command: 'MAIL' }],
  ['Microsoft 365', '451 5.7.3 STARTTLS is required to send mail [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]', { pattern: 'starttls-required', command: 'MAIL' }],
  ['Microsoft 365', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]', { pattern: 'basic-auth-disabled', command: 'AUTH' }],
  ['Microsoft 365', '535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]', { pattern: 'auth-failed', command: 'AUTH' }],
  ['Microsoft 365', '550 5.7.509 Access denied, sending domain [EXAMPLE.COM] does not pass DMARC verification and has a DMARC policy of reject. [BN8NAM11FT012.eop-nam11.prod.protection.outlook.com]', { pattern: 'dmarc' }],
  ['Outlook.com', "550 5.7.515 Access denied, sending domain [EXAMPLE.COM] doesn't meet the required authentication level. The sender's domain in the 5322.From address doesn't meet the authentication requirements defined for the sender. To learn more, visit https://aka.ms/SenderRequirements", { pattern: 'dmarc' }],
  ['Microsoft 365', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient nobody@example.com not found by SMTP address lookup', { pattern: 'unknown-user' }],
  ['Microsoft 365', '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded', { pattern: 'mailbox-full' }],
  ['Outlook.com', '451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77714) [DB5EUR01FT001.eop-EUR01.prod.protection.outlook.com]', { pattern: 'rate-limited', temporary: true }],
  ['Microsoft 365', '550 5.7.60 SMTP; Client does not have permissions to send as this sender', { pattern: 'sender-login-mismatch' }],
  ['Microsoft 365', '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 Service unavailable', { pattern: 'spam' }],
  ['Outlook.com IMAP', 'a1 NO AUTHENTICATE failed.', { pattern: 'auth-failed', command: 'AUTHENTICATE' }],
  ['Outlook.com IMAP', 'a2 NO LOGIN failed.', { pattern: 'auth-failed', command: 'LOGIN' }],

  // Exchange on-premises
  ['Exchange', '530 5.7.1 Client was not authenticated', { pattern: 'auth-required', command: 'MAIL' }],
  ['Exchange', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain', { pattern: 'relay-denied', fix: /accepted domains/ }],
  ['Exchange', '452 4.3.1 Insufficient system resources', { pattern: 'server-resources', cause: /back pressure/, not: /recipient's mailbox has reached|over quota/i, temporary: true, zh: /背压/ }],
  ['Exchange', '550 5.7.1 Unable to relay', { pattern: 'relay-denied' }],
  ['Exchange', "500 5.3.3 Unrecognized command 'XYZZY'", { pattern: 'unknown-command' }],
  ['Exchange', '421 4.4.2 Message submission rate for this client has exceeded the configured limit', { pattern: 'rate-limited', not: /timed out/i, temporary: true }],
  ['Exchange', '421 4.4.2 mail.example.com Connection dropped due to ConnectionReset', { pattern: 'connection-timeout', temporary: true }],
  ['Exchange', '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found', { pattern: 'unknown-user' }],
  ['Exchange', '452 4.5.3 Too many recipients', { pattern: 'too-many-recipients' }],
  ['Exchange POP3', '-ERR Logon failure: unknown user name or bad password.', { pattern: 'auth-failed', command: 'PASS' }],

  // Yahoo / AOL
  ['Yahoo', '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes', { pattern: 'complaints-deferred', cause: /not a fixed rate limit/, fix: /feedback loop/, not: /lower concurrency|Rate limited:/i, temporary: true, zh: /投诉/ }],
  ['Yahoo', '421 4.7.0 [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes', { pattern: 'complaints-deferred', temporary: true }],
  ['Yahoo', '421 4.7.0 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed. See https://senders.yahooinc.com/error-codes', { pattern: 'ip-reputation', fix: /Yahoo through its sender support form/ }],
  ['Yahoo', '553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes', { pattern: 'ip-reputation', temporary: false }],
  ['Yahoo', '554 5.7.9 Message not accepted for policy reasons. See https://senders.yahooinc.com/error-codes', { pattern: 'policy-rejected', cause: /authentication checks.*DMARC/, fix: /SPF and DKIM pass/, not: /mechanism is too weak/i, zh: /策略/ }],
  ['AOL', '554 5.7.9 Message not accepted for policy reasons. See https://postmaster.aol.com/error-codes', { pattern: 'policy-rejected', temporary: false }],
  ['Yahoo', '550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.', { pattern: 'sender-unauthenticated' }],
  ['Yahoo', "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes", { pattern: 'dnsbl' }],
  ['Yahoo', "554 delivery error: dd This user doesn't have a yahoo.com account (nobody@yahoo.com) [0] - mta1001.mail.gq1.yahoo.com", { pattern: 'unknown-user' }],
  ['Yahoo', '554 delivery error: dd Sorry your message to nobody@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1001.mail.gq1.yahoo.com', { pattern: 'mailbox-disabled' }],
  ['Yahoo', '552 1 Requested mail action aborted, mailbox not found', { pattern: 'unknown-user' }],
  ['Yahoo', '421 Max message per connection reached, closing transmission channel', { pattern: 'rate-limited', temporary: true }],
  ['Yahoo', '451 Resources temporarily not available - Please try again later [#4.16.1].', { pattern: 'deferred-try-later', temporary: true }],

  // Postfix
  ['Postfix', '450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]', { pattern: 'reverse-dns', temporary: true }],
  ['Postfix', '554 5.7.1 <victim@elsewhere.example>: Relay access denied', { pattern: 'relay-denied', command: 'RCPT' }],
  ['Postfix', '451 4.3.0 <bob@example.com>: Temporary lookup failure', { pattern: 'lookup-failure', command: 'RCPT', cause: /on the receiving server, not in the message/, not: /greylist|password/i, temporary: true, zh: /查询表/ }],
  ['Postfix', '451 4.3.0 <alice@example.com>: Sender address rejected: Temporary lookup failure', { pattern: 'lookup-failure', command: 'MAIL' }],
  ['Postfix', '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table', { pattern: 'unknown-user', fix: /virtual_mailbox_maps/ }],
  ['Postfix', '552 5.3.4 Message size exceeds fixed limit', { pattern: 'message-too-big' }],
  ['Postfix', '450 4.2.0 <bob@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html', { pattern: 'greylisting', cause: /retries after a few minutes/, fix: /Nothing, for a normal mail server/, temporary: true, zh: /重试/ }],
  ['Postfix', '421 4.7.0 mail.example.com Error: too many errors', { pattern: 'too-many-auth-failures' }],
  ['Postfix', '504 5.5.2 <server>: Helo command rejected: need fully-qualified hostname', { pattern: 'helo-rejected' }],
  ['Postfix', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1', { pattern: 'dnsbl' }],
  ['Postfix', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using pbl.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1', { pattern: 'dynamic-ip' }],
  ['Postfix', '535 5.7.8 Error: authentication failed: authentication failure', { pattern: 'auth-failed', command: 'AUTH' }],
  ['Postfix', '454 4.7.0 Temporary authentication failure', { pattern: 'auth-temporary', command: 'AUTH', not: /wrong user name|refused:/i, temporary: true }],
  ['Postfix', '454 4.7.0 TLS not available due to local problem', { pattern: 'tls-unavailable', command: 'STARTTLS' }],
  ['Postfix', '503 5.5.1 Error: need RCPT command', { pattern: 'bad-sequence', command: 'DATA' }],
  ['Postfix', '502 5.5.2 Error: command not recognized', { pattern: 'unknown-command' }],
  ['Postfix', '553 5.7.1 <ceo@example.com>: Sender address rejected: not owned by user alice', { pattern: 'sender-login-mismatch' }],
  ['Postfix', '450 4.1.8 <alice@nonexistent.example>: Sender address rejected: Domain not found', { pattern: 'sender-domain-unresolved' }],
  ['Postfix', '452 4.3.1 Insufficient system storage', { pattern: 'server-resources', temporary: true }],
  ['Postfix', '421 4.4.2 mail.example.com Error: timeout exceeded', { pattern: 'connection-timeout', cause: /smtpd_timeout/, not: /Bad connection/, temporary: true, zh: /超时/ }],
  ['Postfix', '550 5.7.23 <bob@example.org>: Recipient address rejected: Message rejected due to: SPF fail - not authorized.', { pattern: 'spf' }],
  ['Postfix', '450 4.1.7 <alice@example.com>: Sender address rejected: unverified address: host mx.example.com[192.0.2.2] said: 550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown in local recipient table', { pattern: 'sender-verify-failed', command: 'RCPT' }],
  ['Postfix', '521 5.5.2 mail.example.com Error: bare <LF> received', { pattern: 'bare-lf' }],
  ['Postfix', '452 4.5.3 Error: too many recipients', { pattern: 'too-many-recipients' }],

  // Exim
  ['Exim', '550 Administrative prohibition', { pattern: 'administrative-prohibition', cause: /ACLs? denies|Exim/, not: /recipient does not exist/i, zh: /本地规则/ }],
  ['Exim', '550 Verification failed for <nobody@example.com>', { pattern: 'sender-verify-failed', command: 'RCPT', cause: /MAIL FROM address/, not: /Recipient does not exist/, zh: /发件人地址验证失败/ }],
  ['Exim', '550-Verification failed for <nobody@example.com>\n550-Unrouteable address\n550 Sender verify failed', { pattern: 'sender-verify-failed', command: 'RCPT' }],
  ['Exim', '451 Temporary local problem - please try later', { pattern: 'local-problem', temporary: true }],
  ['Exim', '550 relay not permitted', { pattern: 'relay-denied' }],
  ['Exim', '503 sender already given', { pattern: 'bad-sequence', command: 'MAIL' }],
  ['Exim', '550 Unrouteable address', { pattern: 'unknown-user', command: 'RCPT' }],
  ['Exim', '535 Incorrect authentication data', { pattern: 'auth-failed', command: 'AUTH' }],
  ['Exim', '500 unrecognized command', { pattern: 'unknown-command' }],
  ['Exim', '552 Message size exceeds maximum permitted', { pattern: 'message-too-big' }],
  ['Exim', '421 Too many concurrent SMTP connections; please try again later.', { pattern: 'rate-limited' }],
  ['Exim', '550 Too many "Received" headers - suspected mail loop', { pattern: 'mail-loop' }],
  ['Exim', '503 AUTH command used when not advertised', { pattern: 'auth-not-offered', command: 'AUTH' }],
  ['Exim', '550 Rejected because 192.0.2.1 is in a black list at zen.spamhaus.org', { pattern: 'dnsbl' }],

  // Sendmail
  ['Sendmail', '550 5.7.1 <bob@elsewhere.example>... Relaying denied. IP name lookup failed [192.0.2.1]', { pattern: 'relay-denied-no-rdns', command: 'RCPT', cause: /reverse DNS lookup/, fix: /Connect:192\.0\.2 RELAY/, zh: /反向/ }],
  ['Sendmail', '550 5.7.1 <bob@elsewhere.example>... Relaying denied. IP name possibly forged [192.0.2.1]', { pattern: 'relay-denied-no-rdns', command: 'RCPT' }],
  ['Sendmail', '550 5.7.1 <bob@elsewhere.example>... Relaying denied. Proper authentication required.', { pattern: 'relay-denied', command: 'RCPT' }],
  ['Sendmail', '553 5.1.8 <alice@nonexistent.example>... Domain of sender address alice@nonexistent.example does not exist', { pattern: 'sender-domain-unresolved', command: 'MAIL' }],
  ['Sendmail', '452 4.4.5 Insufficient disk space; try again later', { pattern: 'server-resources', not: /greylist/i, temporary: true }],
  ['Sendmail', '550 5.1.1 <nobody@example.com>... User unknown', { pattern: 'unknown-user' }],
  ['Sendmail', '500 5.5.1 Command unrecognized: "XYZZY"', { pattern: 'unknown-command', cause: /invalid command/, not: /RCPT before MAIL|bad sequence/i, zh: /无法识别/ }],
  ['Sendmail', '552 5.2.3 Message size exceeds maximum value', { pattern: 'message-too-big' }],
  ['Sendmail', '550 5.7.1 Fix reverse DNS for 192.0.2.1', { pattern: 'reverse-dns' }],
  ['Sendmail', '503 5.0.0 Need MAIL before RCPT', { pattern: 'bad-sequence', command: 'RCPT' }],

  // Dovecot POP3
  ['Dovecot POP3', '-ERR [AUTH] Authentication failed.', { pattern: 'auth-failed', command: 'PASS', temporary: false }],
  ['Dovecot POP3', '-ERR [IN-USE] Mailbox is locked by another POP3 session', { pattern: 'mailbox-in-use', command: 'PASS', cause: /Not a failed login/, fix: /Do not change the password/, not: /password refused|Login failed/i, temporary: true, zh: /不是登录失败/ }],
  ['qpopper', '-ERR [IN-USE] maildrop lock busy! Is another session active?', { pattern: 'mailbox-in-use', command: 'PASS', temporary: true }],
  ['VPOP3', '-ERR [IN-USE] Mailbox Locked', { pattern: 'mailbox-in-use', command: 'PASS' }],
  ['Dovecot POP3', '-ERR [SYS/TEMP] Temporary authentication failure.', { pattern: 'auth-temporary', command: 'PASS', not: /password refused/i, temporary: true }],
  ['Dovecot POP3', '-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.', { pattern: 'auth-temporary', command: 'PASS', temporary: true }],
  ['Dovecot POP3', '-ERR [SYS/TEMP] Internal error occurred. Refer to server log for more information.', { pattern: null, command: 'RETR', meaning: /^Temporary system failure$/, cause: /unrelated to the credentials/, fix: /retry later/i, temporary: true }],
  ['Dovecot POP3', '-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.', { pattern: 'login-disabled-until-tls', command: 'USER' }],
  ['Dovecot POP3', '-ERR Unknown command: XYZZY', { pattern: 'unknown-command' }],
  ['Dovecot POP3', '-ERR Disconnected for inactivity.', { pattern: 'idle-timeout' }],
  ['Dovecot POP3', '-ERR Disconnected: Too many invalid commands', { pattern: 'too-many-auth-failures' }],

  // Dovecot IMAP
  ['Dovecot IMAP', 'a1 NO [AUTHENTICATIONFAILED] Authentication failed.', { pattern: 'auth-failed', command: 'LOGIN', temporary: false }],
  ['Dovecot IMAP', 'a2 NO [UNAVAILABLE] Temporary authentication failure. [mail.example.com:2026-01-01 00:00:00]', { pattern: 'auth-temporary', command: 'LOGIN', cause: /not judged wrong/, fix: /Do not change the password/, not: /password refused|stale password/i, temporary: true, zh: /不是判定密码错误/ }],
  ['Dovecot IMAP', 'a3 NO [UNAVAILABLE] Internal error occurred. Refer to server log for more information. [2026-01-01 00:00:00]', { pattern: 'auth-temporary', command: 'LOGIN', temporary: true }],
  ['Dovecot IMAP', 'a4 NO [UNAVAILABLE] Internal error occurred. Refer to server log for more information. [2026-01-01 00:00:00]', { pattern: null, command: 'SELECT', meaning: /^Service temporarily unavailable$/, fix: /retry later/i, temporary: true }],
  ['Dovecot IMAP', '* BYE Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)', { pattern: 'user-connection-limit', cause: /mail_max_userip_connections/ }],
  ['Dovecot IMAP', 'a5 NO [LIMIT] Mailbox name too long', { pattern: null, command: 'CREATE', meaning: /^Limit reached$/, fix: /under the limit/ }],
  ['Dovecot IMAP', 'a6 BAD Error in IMAP command XYZZY: Unknown command (0.001 + 0.000 secs).', { pattern: 'unknown-command' }],
  ['Dovecot IMAP', 'a7 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)', { pattern: 'mailbox-full', command: 'APPEND' }],
  ['Dovecot IMAP', "a8 NO [TRYCREATE] Mailbox doesn't exist: Archive", { pattern: null, command: 'APPEND', meaning: /create it first/, fix: /CREATE/ }],
  ['Dovecot IMAP', '* BYE Disconnected for inactivity.', { pattern: 'idle-timeout' }],
  ['Dovecot IMAP', 'a9 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.', { pattern: 'login-disabled-until-tls', command: 'LOGIN' }],
  ['Dovecot IMAP', '* BYE Too many invalid IMAP commands.', { pattern: 'too-many-auth-failures' }],
  ['Dovecot IMAP', 'b1 NO [INUSE] Mailbox is in use by another session', { pattern: 'mailbox-in-use', temporary: true }],
];

const HAN = /[\u4e00-\u9fff]/;

function explain(reply: string, command: string | undefined, lang: Lang): Explanation {
  const parsed = parseReplyLine(reply);
  expect(parsed, 'the text must read as a reply').not.toBeNull();
  const e = explainReply(parsed!.reply, parsed!.protocol, lang, { all: true, command });
  expect(e).not.toBeNull();
  return e!;
}

describe('real provider texts, each explained rightly', () => {
  it.each(CASES)('%s: %s', (_provider, reply, want) => {
    const e = explain(reply, want.command, 'en');
    expect(e.failure).toBe(true);
    expect(e.pattern).toBe(want.pattern);
    const says = want.pattern ? SAYS[want.pattern] : undefined;
    const meaning = want.meaning ?? says?.meaning;
    const fix = want.fix ?? says?.fix;
    expect(meaning, 'the case says what the meaning must be').toBeDefined();
    expect(fix, 'the case says what the fix must be').toBeDefined();
    expect(e.meaning).toMatch(meaning!);
    if (want.meaning && says) expect(e.meaning).toMatch(says.meaning);
    expect(e.fix).toMatch(fix!);
    if (want.fix && says) expect(e.fix).toMatch(says.fix);
    if (want.cause) expect(e.cause).toMatch(want.cause);
    if (want.not) expect(`${e.meaning} ${e.cause} ${e.fix}`).not.toMatch(want.not);
    if (want.temporary !== undefined) expect(e.temporary).toBe(want.temporary);

    const zh = explain(reply, want.command, 'zh');
    expect(zh.pattern).toBe(want.pattern);
    for (const t of [zh.meaning, zh.cause, zh.fix]) expect(t).toMatch(HAN);
    if (want.zh) expect(`${zh.meaning} ${zh.cause} ${zh.fix}`).toMatch(want.zh);
  });

  it('holds 80 and more different texts from every provider named', () => {
    expect(new Set(CASES.map(([, r, w]) => `${r} ${w.command ?? ''}`)).size).toBeGreaterThanOrEqual(80);
    const providers = new Set(CASES.map(([p]) => p.split(' ')[0]));
    for (const p of ['Gmail', 'Microsoft', 'Outlook.com', 'Exchange', 'Yahoo', 'AOL', 'Postfix', 'Exim', 'Sendmail', 'Dovecot']) expect(providers).toContain(p);
  });

  it('has the key phrases of every pattern it uses', () => {
    for (const [, , w] of CASES) if (w.pattern) expect(SAYS, w.pattern).toHaveProperty([w.pattern]);
  });
});

describe('a response code decides over the text, and after which command', () => {
  it('[IN-USE] is a locked mailbox even when the text speaks of a failed login', () => {
    const e = explain('-ERR [IN-USE] Login failed: mailbox already in use by another session', 'PASS', 'en');
    expect(e.pattern).toBe('mailbox-in-use');
    expect(e.temporary).toBe(true);
  });

  it('auth-failed is not read into a SYS/TEMP or UNAVAILABLE reply, whatever the command', () => {
    expect(explain('-ERR [SYS/TEMP] Authentication failed: backend unreachable', undefined, 'en').pattern).not.toBe('auth-failed');
    expect(explain('a1 NO [UNAVAILABLE] Authentication failed', undefined, 'en').pattern).not.toBe('auth-failed');
    expect(explain('a1 NO [UNAVAILABLE] Authentication failed', 'LOGIN', 'en').pattern).toBe('auth-temporary');
  });

  it('without the command, the code table still says it is temporary and not the password', () => {
    const e = explain('a4 NO [UNAVAILABLE] Internal error occurred.', undefined, 'en');
    expect(e.pattern).toBeNull();
    expect(e.cause).toMatch(/password was not judged wrong/);
    expect(e.temporary).toBe(true);
  });

  it('5.7.9 is the weak-mechanism code of the registry after AUTH, and policy after DATA', () => {
    const auth = explain('535 5.7.9 Authentication mechanism is too weak', 'AUTH', 'en');
    expect(auth.pattern).toBeNull();
    expect(auth.meaning).toBe('Authentication mechanism is too weak');
    expect(explain('554 5.7.9 Message not accepted for policy reasons.', 'DATA', 'en').pattern).toBe('policy-rejected');
  });

  it('5.5.1 alone says "invalid command", not "out of order"', () => {
    const e = explain('500 5.5.1 Huh?', undefined, 'en');
    expect(e.pattern).toBeNull();
    expect(e.meaning).toBe('Invalid command');
  });
});
